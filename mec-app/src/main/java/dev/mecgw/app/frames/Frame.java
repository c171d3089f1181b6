package dev.mecgw.app.frames;

import java.time.Instant;

/**
 * One camera frame received from a device.
 *
 * @param deviceId the authenticated sender
 * @param contentFormat CoAP Content-Format number (22 image/jpeg, 23 image/png), -1 when unknown
 * @param data the complete image (after CoAP Block1 reassembly or as one MQTT message)
 * @param receivedAt receive time
 */
public record Frame(String deviceId, int contentFormat, byte[] data, Instant receivedAt) {}
