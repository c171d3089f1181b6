package dev.mecgw.sync.downlink;

import java.util.Objects;

/**
 * One message from the cloud to this site, on topic {@code <site-id>.downlink}.
 *
 * @param id unique message id; a message with an id already applied is ignored (idempotent redelivery)
 * @param kind {@link Kind#DESIRED} twin state or a {@link Kind#COMMAND}
 * @param deviceId the target device
 * @param version for desired state: the cloud's twin version; a version at or below the stored one is ignored
 * @param payload JSON object text: the desired state, or the command and its arguments
 */
public record DownlinkMessage(String id, Kind kind, String deviceId, long version, String payload) {

    /** What a downlink message carries. */
    public enum Kind {
        /** Desired twin state; the cloud's version wins. */
        DESIRED,
        /** A command for a device, recorded as an event for the protocol adapters to deliver. */
        COMMAND
    }

    public DownlinkMessage {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(deviceId, "deviceId");
        Objects.requireNonNull(payload, "payload");
    }
}
