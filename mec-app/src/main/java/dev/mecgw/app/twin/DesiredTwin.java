package dev.mecgw.app.twin;

/**
 * The desired half of a device twin, as CoAP observers of {@code /twin/desired} receive it.
 *
 * @param deviceId the device
 * @param version increases with every change
 * @param desired the desired state, a JSON object as UTF-8 bytes
 */
public record DesiredTwin(String deviceId, long version, byte[] desired) {}
