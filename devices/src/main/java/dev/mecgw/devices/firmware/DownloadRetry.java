package dev.mecgw.devices.firmware;

import java.io.IOException;
import java.time.Duration;

/**
 * How hard a simulated device tries to finish a firmware download over a flaky link.
 *
 * @param maxFailures consecutive failed requests before the download is given up (result 4, connection lost)
 * @param delay wait after a failed request
 * @param readTimeout a request or body that stalls this long counts as a lost link
 */
public record DownloadRetry(int maxFailures, Duration delay, Duration readTimeout) {

    /** Waits {@link #delay} before the next attempt. */
    void pause() throws IOException {
        try {
            Thread.sleep(delay.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }
}
