package dev.mecgw.app.southbound;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Exponential reconnect backoff with full jitter, per device, so that PLCs that failed together (a switch reboot) are
 * not retried in lockstep. Not thread-safe: one per client, used from its own callbacks.
 */
public final class Backoff {

    private final long minMillis;
    private final long maxMillis;
    private int failures;

    /**
     * @param min the first delay's upper bound
     * @param max the largest delay
     */
    public Backoff(Duration min, Duration max) {
        this.minMillis = Math.max(1, min.toMillis());
        this.maxMillis = Math.max(minMillis, max.toMillis());
    }

    /** @return the delay before the next attempt after one more failure: random in [cap/2, cap] */
    public Duration nextDelay() {
        long cap = Math.min(maxMillis, minMillis << Math.min(failures, 20));
        failures++;
        return Duration.ofMillis(cap / 2 + ThreadLocalRandom.current().nextLong(cap / 2 + 1));
    }

    /** A success: the next failure starts from the smallest delay again. */
    public void reset() {
        failures = 0;
    }

    /** @return failures since the last success */
    public int failures() {
        return failures;
    }
}
