package dev.mecgw.ran.transport;

import java.time.Duration;

/**
 * Exponential backoff between retries of a network call.
 *
 * @param initial wait before the first retry; doubles after each retry
 * @param max longest wait
 */
public record Backoff(Duration initial, Duration max) {

    /** Checks {@code 0 <= initial <= max}. */
    public Backoff {
        if (initial.isNegative() || max.compareTo(initial) < 0) {
            throw new IllegalArgumentException("need 0 <= initial backoff <= max backoff");
        }
    }

    /**
     * @param retry 1 for the first retry, 2 for the second, ...
     * @return the wait before that retry, at most {@link #max}
     */
    public Duration delay(int retry) {
        Duration wait = initial.multipliedBy(1L << Math.max(0, Math.min(20, retry - 1)));
        return wait.compareTo(max) > 0 ? max : wait;
    }
}
