package dev.mecgw.sync.downlink;

import java.time.Instant;
import java.util.Objects;

/**
 * One message from the cloud to this site, on topic {@code <site-id>.downlink} (CONTRACT-sync §3).
 *
 * @param id unique message id; a message with an id already applied is ignored (idempotent redelivery)
 * @param kind {@link Kind#DESIRED} twin state or a {@link Kind#COMMAND}
 * @param deviceId the target device
 * @param version for desired state: the cloud's twin version; a version at or below the last cloud version applied
 *     is stale
 * @param payload JSON text: the desired state (an object), or the command's arguments (any JSON value)
 * @param name for commands: the command name, one MQTT topic level; null for desired state
 * @param expiresAt for commands: when an undelivered command expires; null for never
 * @param issuedAt when the cloud issued the intent; null when the message does not say (the arrival time then counts)
 */
public record DownlinkMessage(
        String id,
        Kind kind,
        String deviceId,
        long version,
        String payload,
        String name,
        Instant expiresAt,
        Instant issuedAt) {

    /** What a downlink message carries. */
    public enum Kind {
        /** Desired twin state; newer intents win (docs/sync.md). */
        DESIRED,
        /** A command for a device, handed to it over MQTT and CoAP like a REST command at the edge. */
        COMMAND
    }

    public DownlinkMessage {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(deviceId, "deviceId");
        Objects.requireNonNull(payload, "payload");
    }

    /** A message without command name, expiry or issue time (desired state, older producers). */
    public DownlinkMessage(String id, Kind kind, String deviceId, long version, String payload) {
        this(id, kind, deviceId, version, payload, null, null, null);
    }
}
