package dev.mecgw.inference.vision;

import java.time.Instant;

/**
 * One encoded camera frame as it arrived.
 *
 * @param cameraId the device that sent it
 * @param bytes JPEG or PNG bytes; not copied
 * @param receivedAt when the gateway received it
 */
public record CameraFrame(String cameraId, byte[] bytes, Instant receivedAt) {}
