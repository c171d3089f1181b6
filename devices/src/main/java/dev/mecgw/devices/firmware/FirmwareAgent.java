package dev.mecgw.devices.firmware;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.HexFormat;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * The simulated device's side of the firmware object (docs/ota.md, issue 18): given the desired {@code firmware}
 * object it reports {@code downloading}, fetches the image, checks its SHA-256 and the site's Ed25519 signature over
 * name, version and hash, and reports {@code downloaded}, {@code updating}, then success (result 1 with the new
 * version) or result 5 (integrity check failure) with the old version kept. A {@link FailureMode} lets tests make a
 * device misbehave. {@link #onDesired} handles one update at a time per device; {@link #onDesiredAsync} serializes.
 */
public final class FirmwareAgent {

    /** How the simulated device misbehaves during an update. */
    public enum FailureMode {
        /** Updates as it should. */
        NONE,
        /** Treats the image as corrupt: reports result 5 as on a hash mismatch. */
        CORRUPT_IMAGE,
        /** Reports result 8 (update failed) after downloading. */
        INSTALL_FAILS,
        /**
         * Installs and reports success, then stops sending telemetry (a regression only the health gate sees);
         * sends again once rolled back to its previous version.
         */
        SILENT_AFTER_INSTALL
    }

    private static final ExecutorService UPDATES = Executors.newCachedThreadPool(runnable -> {
        Thread thread = new Thread(runnable, "firmware-update");
        thread.setDaemon(true);
        return thread;
    });

    /** Fetches an artifact's bytes from one of the desired object's URIs (CoAP Block2, HTTP Range). */
    @FunctionalInterface
    public interface Fetcher {
        byte[] fetch(String uri) throws IOException;
    }

    private final ObjectMapper json = new ObjectMapper();
    private final String publicKey;
    private final Fetcher fetcher;
    private final Consumer<JsonNode> reporter;
    private volatile FailureMode failureMode = FailureMode.NONE;
    private volatile String version;
    private volatile String previousVersion;
    private volatile boolean silenced;
    private final AtomicReference<JsonNode> queued = new AtomicReference<>();
    private final AtomicBoolean running = new AtomicBoolean();

    /**
     * @param initialVersion the firmware the device runs at start
     * @param publicKey the site's signing key (Base64 X.509 SubjectPublicKeyInfo) the device was provisioned with
     * @param fetcher downloads an image
     * @param reporter publishes a reported twin document ({@code {"firmware":{…}}})
     */
    public FirmwareAgent(String initialVersion, String publicKey, Fetcher fetcher, Consumer<JsonNode> reporter) {
        this.version = initialVersion;
        this.publicKey = publicKey;
        this.fetcher = fetcher;
        this.reporter = reporter;
    }

    public void failureMode(FailureMode mode) {
        this.failureMode = mode;
    }

    /** The version the device runs now. */
    public String version() {
        return version;
    }

    /** Whether an update runs or waits (a rolled-back device may still be finishing the download it started). */
    public boolean busy() {
        return running.get() || queued.get() != null;
    }

    /** Whether the device stopped sending telemetry ({@link FailureMode#SILENT_AFTER_INSTALL}). */
    public boolean silenced() {
        return silenced;
    }

    /**
     * Handles a desired twin document on an update thread, not on the protocol client's callback thread; while an
     * update runs only the latest document waits, as a device's twin is a state, not a queue.
     */
    public void onDesiredAsync(JsonNode desired) {
        queued.set(desired);
        drain();
    }

    private void drain() {
        if (!running.compareAndSet(false, true)) {
            return;
        }
        UPDATES.execute(() -> {
            try {
                JsonNode next;
                while ((next = queued.getAndSet(null)) != null) {
                    onDesired(next);
                }
            } finally {
                running.set(false);
            }
            if (queued.get() != null) {
                drain();
            }
        });
    }

    /**
     * Handles a desired twin document; does nothing without a firmware object or when already on its version.
     * The previous version stays in the other slot (A/B), so a rollback to it switches back without a download.
     */
    public void onDesired(JsonNode desired) {
        JsonNode firmware = desired.path("firmware");
        String target = firmware.path("version").asText(null);
        String rollout = firmware.path("rollout").asText(null);
        if (target == null || target.equals(version)) {
            return;
        }
        if (target.equals(previousVersion)) {
            previousVersion = version;
            version = target;
            silenced = false;
            report("idle", 1, rollout, null);
            return;
        }
        report("downloading", 0, rollout, null);
        byte[] image;
        try {
            image = fetcher.fetch(firmware.path("uris").path(0).asText());
        } catch (IOException e) {
            report("idle", 4, rollout, "download failed: " + e.getMessage());
            return;
        }
        if (failureMode == FailureMode.CORRUPT_IMAGE || !intact(firmware, image)) {
            report("idle", 5, rollout, "hash or signature mismatch");
            return;
        }
        report("downloaded", 0, rollout, null);
        report("updating", 0, rollout, null);
        if (failureMode == FailureMode.INSTALL_FAILS) {
            report("idle", 8, rollout, "simulated install failure");
            return;
        }
        previousVersion = version;
        version = target;
        report("idle", 1, rollout, null);
        silenced = failureMode == FailureMode.SILENT_AFTER_INSTALL;
    }

    private boolean intact(JsonNode firmware, byte[] image) {
        try {
            String sha256 = HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-256").digest(image));
            if (!sha256.equals(firmware.path("sha256").asText())) {
                return false;
            }
            String signed = "mecgw-firmware-v1\n" + firmware.path("name").asText() + "\n"
                    + firmware.path("version").asText() + "\n" + sha256;
            PublicKey key = KeyFactory.getInstance("Ed25519")
                    .generatePublic(new X509EncodedKeySpec(Base64.getDecoder().decode(publicKey)));
            Signature verifier = Signature.getInstance("Ed25519");
            verifier.initVerify(key);
            verifier.update(signed.getBytes(StandardCharsets.UTF_8));
            return verifier.verify(
                    Base64.getDecoder().decode(firmware.path("signature").asText()));
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            return false;
        }
    }

    private void report(String state, int result, String rollout, String error) {
        ObjectNode reported = json.createObjectNode();
        ObjectNode firmware = reported.putObject("firmware");
        firmware.put("version", version);
        firmware.put("state", state);
        firmware.put("result", result);
        firmware.put("rollout", rollout);
        if (error != null) {
            firmware.put("error", error);
        }
        reporter.accept(reported);
    }
}
