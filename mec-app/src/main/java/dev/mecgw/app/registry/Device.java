package dev.mecgw.app.registry;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.OffsetDateTime;
import java.util.Map;

/**
 * A registered device as the API shows it. Secrets never appear here, only whether they are set.
 *
 * @param status presence as seen by the protocol front-ends
 * @param credentials which secrets are set; the certificate fingerprint is public and shown
 * @param network what the 5G network last reported (reachability, cell, tracking area); omitted when the
 *     network integration is off or reported nothing yet
 */
public record Device(
        String id,
        String type,
        Map<String, String> labels,
        Sim sim,
        Slice slice,
        Status status,
        CredentialsSummary credentials,
        OffsetDateTime createdAt,
        OffsetDateTime updatedAt,
        @JsonInclude(JsonInclude.Include.NON_NULL) Object network) {

    /** This device with the network's view attached. */
    public Device withNetwork(Object state) {
        return new Device(id, type, labels, sim, slice, status, credentials, createdAt, updatedAt, state);
    }

    /** Presence of a device: online flag and when it was last heard from (null if never). */
    public record Status(boolean online, OffsetDateTime lastSeen) {}

    /** Which credentials a device has. */
    public record CredentialsSummary(boolean password, boolean psk, String x509Sha256) {}
}
