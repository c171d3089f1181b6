package dev.mecgw.app.coap;

import java.time.Instant;

/**
 * One camera frame received from a device.
 *
 * @param deviceId the authenticated sender
 * @param contentFormat CoAP Content-Format number, e.g. 22 for image/jpeg, -1 when absent
 * @param data the complete body after Block1 reassembly
 * @param receivedAt receive time
 */
public record Frame(String deviceId, int contentFormat, byte[] data, Instant receivedAt) {
}
