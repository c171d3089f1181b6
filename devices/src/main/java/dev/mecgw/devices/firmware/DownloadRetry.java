package dev.mecgw.devices.firmware;

import java.io.IOException;
import java.time.Duration;

/**
 * How hard a simulated device tries to finish a firmware download over a flaky link.
 *
 * @param maxFailures consecutive failed requests before the download is given up (result 4, connection lost)
 * @param delay wait after the first failed request; it doubles with each failure in a row, up to eight times
 *     as long, so that a device outlasts its gateway's restart (issue 18.3) without hammering it
 * @param readTimeout a request or body that stalls this long counts as a lost link
 */
public record DownloadRetry(int maxFailures, Duration delay, Duration readTimeout) {

    /**
     * Waits before the next attempt.
     *
     * @param failures failed requests in a row so far (1 after the first)
     */
    void pause(int failures) throws IOException {
        try {
            Thread.sleep(delay.toMillis() << Math.min(Math.max(failures - 1, 0), 3));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }
}
