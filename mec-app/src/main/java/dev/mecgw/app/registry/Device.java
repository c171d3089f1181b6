package dev.mecgw.app.registry;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;

/**
 * A registered device as the API shows it. Secrets never appear here, only whether they are set.
 *
 * @param status presence as seen by the protocol front-ends
 * @param credentials which secrets are set; the certificate fingerprint is public and shown
 * @param network what the 5G network last reported (reachability, cell, tracking area); omitted when the
 *     network integration is off or reported nothing yet
 * @param connection a southbound device's connection settings and live state (issue 21); omitted for other types
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
        @JsonInclude(JsonInclude.Include.NON_NULL) Object network,
        @JsonInclude(JsonInclude.Include.NON_NULL) Connection connection) {

    /** A device without connection settings. */
    public Device(
            String id,
            String type,
            Map<String, String> labels,
            Sim sim,
            Slice slice,
            Status status,
            CredentialsSummary credentials,
            OffsetDateTime createdAt,
            OffsetDateTime updatedAt,
            Object network) {
        this(id, type, labels, sim, slice, status, credentials, createdAt, updatedAt, network, null);
    }

    /** This device with the network's view attached. */
    public Device withNetwork(Object state) {
        return new Device(id, type, labels, sim, slice, status, credentials, createdAt, updatedAt, state, connection);
    }

    /** This device with its connection's live state attached; unchanged when it has no connection settings. */
    public Device withConnectionState(Object state) {
        if (connection == null) {
            return this;
        }
        Connection live = new Connection(connection.settings(), connection.secrets(), state);
        return new Device(id, type, labels, sim, slice, status, credentials, createdAt, updatedAt, network, live);
    }

    /**
     * A southbound device's connection (issue 21).
     *
     * @param settings the settings as uploaded, without secrets
     * @param secrets names of the write-only secrets that are set
     * @param state the live state (state, last error, since); null when no client runs
     */
    public record Connection(
            JsonNode settings,
            List<String> secrets,
            @JsonInclude(JsonInclude.Include.NON_NULL) Object state) {}

    /** Presence of a device: online flag and when it was last heard from (null if never). */
    public record Status(boolean online, OffsetDateTime lastSeen) {}

    /** Which credentials a device has. */
    public record CredentialsSummary(boolean password, boolean psk, String x509Sha256) {}
}
