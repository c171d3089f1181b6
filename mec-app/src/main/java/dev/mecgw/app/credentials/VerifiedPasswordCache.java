package dev.mecgw.app.credentials;

import dev.mecgw.app.acl.Principal;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The one memory of recently verified device passwords, shared by MQTT CONNECT and the firmware download's HTTP
 * Basic (issue 18 review): a reconnect storm or the range requests of one download cost one PBKDF2 derivation, not
 * one each. An entry is bound to the stored hash it was verified against, so a changed password (re-key) or a deleted
 * device misses at its next check without any hook; {@link #forget} (the revocation hook, issue 15.9) drops entries
 * at once as well. Keys are HMAC-SHA256 under a random per-process key over (device id, password), and the stored
 * hash is kept only as such a tag too, so the map holds nothing that can be brute-forced offline. Each caller passes
 * its own maximum age. Memory is bounded: past {@value #MAX_ENTRIES} entries the map is cleared (forgetting costs
 * one derivation). Thread-safe.
 */
public final class VerifiedPasswordCache {

    static final int MAX_ENTRIES = 200_000;

    private record Entry(Principal principal, String storedHashTag, long verifiedAtNanos) {}

    private final SecretKeySpec key;
    private final LongSupplier nanoClock;
    private final Map<String, Entry> entries = new ConcurrentHashMap<>();

    /** @param nanoClock monotonic time in nanoseconds ({@code System::nanoTime}) */
    public VerifiedPasswordCache(LongSupplier nanoClock) {
        byte[] secret = new byte[32];
        new SecureRandom().nextBytes(secret);
        this.key = new SecretKeySpec(secret, "HmacSHA256");
        this.nanoClock = nanoClock;
    }

    /**
     * @param deviceId the device the password was presented for
     * @param password the presented password
     * @param storedHash the device's password hash as stored now; null (no such device, no password) never matches
     * @param maxAge how long ago the verification may have been
     * @return the principal remembered for this exact pair, when it was verified against this stored hash less than
     *     {@code maxAge} ago; empty otherwise
     */
    public Optional<Principal> lookup(String deviceId, String password, String storedHash, Duration maxAge) {
        if (storedHash == null) {
            return Optional.empty();
        }
        Entry entry = entries.get(tag(deviceId, password));
        if (entry == null
                || nanoClock.getAsLong() - entry.verifiedAtNanos() > maxAge.toNanos()
                || !MessageDigest.isEqual(
                        entry.storedHashTag().getBytes(StandardCharsets.US_ASCII),
                        tag(deviceId, storedHash).getBytes(StandardCharsets.US_ASCII))) {
            return Optional.empty();
        }
        return Optional.of(entry.principal());
    }

    /**
     * Remembers that {@code password} matched {@code storedHash} just now.
     *
     * @param principal the device it authenticates ({@link Principal#deviceId()} names it)
     */
    public void remember(Principal principal, String password, String storedHash) {
        if (entries.size() >= MAX_ENTRIES) {
            // Rare; a full clear is cheaper than LRU bookkeeping on every connect.
            entries.clear();
        }
        String deviceId = principal.deviceId();
        entries.put(tag(deviceId, password), new Entry(principal, tag(deviceId, storedHash), nanoClock.getAsLong()));
    }

    /** Drops every remembered password of the device (deleted or re-keyed, issue 15.9). */
    public void forget(String deviceId) {
        entries.values().removeIf(entry -> deviceId.equals(entry.principal().deviceId()));
    }

    /** @return entries held now (for tests and bounds) */
    int size() {
        return entries.size();
    }

    private String tag(String deviceId, String secret) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            mac.update(deviceId.getBytes(StandardCharsets.UTF_8));
            mac.update((byte) 0);
            return Base64.getEncoder().encodeToString(mac.doFinal(secret.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every Java 17 runtime", e);
        }
    }
}
