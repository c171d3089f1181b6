package dev.mecgw.ran.qos;

import dev.mecgw.ran.transport.Backoff;
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
        new Backoff(initialBackoff, maxBackoff);
        if (maxDuration.isZero() || maxDuration.isNegative()) {
            throw new IllegalArgumentException("maxDuration must be positive");
        }
    }

    /** Wait before attempt {@code attempt} (2 = first retry). */
    Duration backoff(int attempt) {
        return new Backoff(initialBackoff, maxBackoff).delay(attempt - 1);
    }
}
