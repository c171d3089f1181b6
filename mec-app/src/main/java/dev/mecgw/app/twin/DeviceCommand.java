package dev.mecgw.app.twin;

import java.time.Instant;

/**
 * A command issued to a device (by the REST API or the cloud's downlink), as the protocol front-ends hand it over:
 * MQTT {@code devices/{id}/commands/{name}} and CoAP Observe {@code /commands} (docs/commands.md).
 *
 * @param deviceId the addressed device
 * @param commandId unique id the device echoes when it reports the outcome
 * @param name command name, e.g. {@code reboot}
 * @param payload JSON document with the command's arguments, as UTF-8 bytes; never null (may be {@code {}})
 * @param issuedAt when the command was accepted
 * @param expiresAt when an undelivered command is dropped; null for never
 */
public record DeviceCommand(
        String deviceId, String commandId, String name, byte[] payload, Instant issuedAt, Instant expiresAt) {

    /** A command that never expires. */
    public DeviceCommand(String deviceId, String commandId, String name, byte[] payload, Instant issuedAt) {
        this(deviceId, commandId, name, payload, issuedAt, null);
    }

    /** @return whether it expired at {@code now} */
    public boolean expiredAt(Instant now) {
        return expiresAt != null && !now.isBefore(expiresAt);
    }
}
