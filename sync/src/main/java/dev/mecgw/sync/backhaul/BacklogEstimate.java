package dev.mecgw.sync.backhaul;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * How many captured row changes a replication slot still holds for the cloud, and since when, as estimated by
 * {@link BacklogEstimator} (its Javadoc and docs/sync.md "Backlog rows and age" state the accuracy).
 *
 * @param rows row changes (inserts, updates, deletes) on the slot's tables committed locally and not yet confirmed
 *     by the slot; never negative
 * @param oldestPending when the oldest of them was committed at the latest, empty when {@code rows} is 0
 * @param complete false while the estimate only covers changes since the estimator started (it started with a
 *     backlog already pending, e.g. after a gateway restart during an outage): then both figures are lower bounds
 */
public record BacklogEstimate(long rows, Optional<Instant> oldestPending, boolean complete) {

    /** Nothing pending. */
    public static final BacklogEstimate NONE = new BacklogEstimate(0, Optional.empty(), true);

    /**
     * @param now the current time
     * @return the age of the oldest pending change, zero when nothing is pending
     */
    public Duration oldestAge(Instant now) {
        return oldestPending
                .map(at -> Duration.between(at, now))
                .filter(age -> !age.isNegative())
                .orElse(Duration.ZERO);
    }

    /**
     * @param other another slot's estimate
     * @return both slots together: rows added, the older oldest change, complete only if both are
     */
    public BacklogEstimate plus(BacklogEstimate other) {
        Optional<Instant> oldest = oldestPending.isEmpty()
                ? other.oldestPending
                : other.oldestPending
                        .filter(at -> at.isBefore(oldestPending.get()))
                        .or(() -> oldestPending);
        return new BacklogEstimate(rows + other.rows, oldest, complete && other.complete);
    }
}
