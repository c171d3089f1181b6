package dev.mecgw.app.twin;

import java.time.Instant;

/**
 * A command issued to a device (by the REST API), as CoAP observers of {@code /commands} receive it.
 *
 * @param deviceId the addressed device
 * @param commandId unique id the device echoes when it reports the outcome
 * @param name command name, e.g. {@code reboot}
 * @param payload JSON document with the command's arguments, as UTF-8 bytes; never null (may be {@code {}})
 * @param issuedAt when the command was accepted
 */
public record DeviceCommand(String deviceId, String commandId, String name, byte[] payload, Instant issuedAt) {}
