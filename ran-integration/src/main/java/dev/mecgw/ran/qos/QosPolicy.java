package dev.mecgw.ran.qos;

import java.time.Duration;

/**
 * Limits of QoS on demand.
 *
 * @param maxAttempts attempts per demand, including the first (at least 1)
 * @param initialBackoff wait before the first retry; doubles after each retry
 * @param maxBackoff longest wait between attempts
 * @param maxDuration longest QoS session; longer demands are cut to it
 */
public record QosPolicy(int maxAttempts, Duration initialBackoff, Duration maxBackoff, Duration maxDuration) {

    /** Checks the ranges. */
    public QosPolicy {
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be at least 1");
        }
        if (initialBackoff.isNegative() || maxBackoff.compareTo(initialBackoff) < 0 || maxDuration.isZero()) {
            throw new IllegalArgumentException("need 0 <= initialBackoff <= maxBackoff and a positive maxDuration");
        }
    }

    /** Wait before attempt {@code attempt} (2 = first retry). */
    Duration backoff(int attempt) {
        long factor = 1L << Math.min(20, attempt - 2);
        Duration wait = initialBackoff.multipliedBy(factor);
        return wait.compareTo(maxBackoff) > 0 ? maxBackoff : wait;
    }
}
