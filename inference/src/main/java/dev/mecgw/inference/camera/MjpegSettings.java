package dev.mecgw.inference.camera;

import java.time.Duration;

/**
 * How the gateway pulls MJPEG camera streams.
 *
 * @param connectTimeout limit for connecting and receiving the response headers
 * @param backoffMin wait before the first reconnect; doubles per failed attempt
 * @param backoffMax longest wait between reconnects
 * @param stallTimeout a connected stream that delivers no frame for this long is dropped and reconnected
 * @param maxFrameBytes largest accepted frame; a bigger part fails the connection
 */
public record MjpegSettings(
        Duration connectTimeout, Duration backoffMin, Duration backoffMax, Duration stallTimeout, int maxFrameBytes) {

    public MjpegSettings {
        if (backoffMin.isNegative() || backoffMax.compareTo(backoffMin) < 0) {
            throw new IllegalArgumentException("Backoff needs 0 <= min <= max");
        }
        if (maxFrameBytes < 1) {
            throw new IllegalArgumentException("maxFrameBytes must be positive");
        }
    }
}
