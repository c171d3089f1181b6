package dev.mecgw.app.ota;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mecgw.app.artifacts.Artifact;
import dev.mecgw.app.artifacts.ArtifactStore;
import dev.mecgw.app.credentials.PasswordHasher;
import dev.mecgw.app.credentials.VerifiedPasswordCache;
import dev.mecgw.app.problem.ErrorKind;
import dev.mecgw.app.problem.GatewayException;
import dev.mecgw.app.registry.DeviceRegistry;
import dev.mecgw.app.twin.DesiredTwin;
import dev.mecgw.app.twin.TwinStore;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Optional;

/**
 * Resumable firmware downloads over HTTP for devices without CoAP (issue 18 item 1, docs/ota.md): a device
 * authenticates with its own credentials and may fetch only the artifact its desired twin's {@code firmware}
 * object names, in the version (SHA-256) that object pins; any byte range of it, so that a device that lost the
 * link asks for the rest. Content is streamed from the store in bounded buffers. Blocking; thread-safe.
 */
public class FirmwareDownloads {

    private static final int BUFFER = 64 * 1024;

    private final DeviceBasicAuth auth;
    private final TwinStore twins;
    private final ArtifactStore artifacts;
    private final ObjectMapper json;
    private final Counter bytes;

    /**
     * @param verifiedPasswords the gateway's verified passwords, shared with MQTT
     * @param verifiedTtl how long a device's verified password is remembered between its range requests
     * @param hashThreads password derivations allowed at once
     */
    public FirmwareDownloads(
            DeviceRegistry registry,
            PasswordHasher hasher,
            VerifiedPasswordCache verifiedPasswords,
            TwinStore twins,
            ArtifactStore artifacts,
            ObjectMapper json,
            MeterRegistry meters,
            Duration verifiedTtl,
            int hashThreads) {
        this.auth = new DeviceBasicAuth(registry, hasher, verifiedPasswords, verifiedTtl, hashThreads);
        this.twins = twins;
        this.artifacts = artifacts;
        this.json = json;
        this.bytes = Counter.builder("mecgw.ota.download.bytes")
                .description("Firmware bytes written to devices")
                .tag("transport", "http")
                .register(meters);
    }

    /**
     * Authenticates the device and finds the artifact offered to it.
     *
     * @param authorization the request's Authorization header (HTTP Basic), may be null
     * @return the artifact, in the version the device's desired firmware names
     * @throws GatewayException UNAUTHORIZED for missing or wrong credentials; NOT_FOUND when the device's desired
     *     firmware does not name this artifact, or names a version no longer stored (both look alike, so that a
     *     device cannot probe which artifacts exist); UNAVAILABLE when busy
     */
    public Artifact offered(String authorization, String name) {
        String deviceId = auth.authenticate(authorization);
        JsonNode firmware = desiredFirmware(deviceId);
        Optional<Artifact> artifact = artifacts.find(name);
        String pinned = firmware.path("sha256").asText("");
        if (!name.equals(firmware.path("name").asText())
                || artifact.isEmpty()
                || (!pinned.isEmpty() && !pinned.equalsIgnoreCase(artifact.get().sha256()))) {
            throw GatewayException.notFound("Firmware " + name + " for device " + deviceId);
        }
        return artifact.get();
    }

    /**
     * Writes one range of the artifact.
     *
     * @throws IOException when the client went away; what was written before stays counted
     */
    public void write(Artifact artifact, ByteRange range, OutputStream out) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate((int) Math.min(BUFFER, range.length()));
        long offset = range.first();
        while (offset <= range.last()) {
            buffer.clear().limit((int) Math.min(buffer.capacity(), range.last() - offset + 1));
            int n = artifacts.read(artifact, offset, buffer);
            if (n <= 0) {
                throw new IOException("Artifact shorter than recorded");
            }
            out.write(buffer.array(), 0, n);
            bytes.increment(n);
            offset += n;
        }
        out.flush();
    }

    private JsonNode desiredFirmware(String deviceId) {
        Optional<DesiredTwin> desired = twins.desired(deviceId);
        if (desired.isEmpty()) {
            throw GatewayException.notFound("Device " + deviceId);
        }
        try {
            return json.readTree(desired.get().desired()).path(TwinFirmware.FIRMWARE);
        } catch (IOException e) {
            throw new GatewayException(ErrorKind.INTERNAL, "Stored desired twin unreadable", e);
        }
    }
}
