package dev.mecgw.sync.cdc;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/**
 * Priority between the critical and the bulk capture of one site (issue 14.7, docs/sync.md "Priority lanes"): the
 * bulk capture hands nothing to its sink while the critical capture has changes waiting for the cloud, or is inside a
 * transaction it has not received completely (Debezium may hand one transaction over in several batches), so that
 * after an outage critical changes reach the cloud first and the bulk lane cannot take the backhaul from them. The pause
 * is bounded ({@code maxPause} per bulk batch), so that a critical lane that stays stuck (a failed capture, a table
 * the cloud refuses) cannot starve the bulk lane for ever. The gate starts closed, and each start of the critical
 * capture closes it again: until that capture has read to where the WAL stood at its start ({@link StartBarrier}),
 * the bulk lane does not know whether critical changes wait. Thread-safe.
 */
public final class LaneGate {

    private final Duration maxPause;
    private boolean criticalPending = true;

    /** @param maxPause longest wait of one bulk batch for the critical lane */
    LaneGate(Duration maxPause) {
        this.maxPause = maxPause;
    }

    /** @return the lane of the critical capture: it reports its pending changes to this gate */
    public Lane critical() {
        return new Lane() {
            @Override
            public void beforeSend(BooleanSupplier stopping) {}

            @Override
            public void pending(int count, boolean moreToCome) {
                report(count > 0 || moreToCome);
            }

            @Override
            public boolean tracksWhatIsToCome() {
                return true;
            }
        };
    }

    /** @return the lane of the bulk capture: it waits at this gate before it sends */
    public Lane bulk() {
        return new Lane() {
            @Override
            public void beforeSend(BooleanSupplier stopping) throws InterruptedException {
                awaitCriticalDrained(stopping);
            }

            @Override
            public void pending(int count, boolean moreToCome) {}
        };
    }

    private synchronized void report(boolean pending) {
        if (criticalPending != pending) {
            criticalPending = pending;
            notifyAll();
        }
    }

    /**
     * @return whether the critical lane has changes waiting for the cloud, is inside a transaction it has not received
     *     completely, or has not read to where the WAL stood at its start
     */
    public synchronized boolean criticalPending() {
        return criticalPending;
    }

    private synchronized void awaitCriticalDrained(BooleanSupplier stopping) throws InterruptedException {
        long deadline = System.nanoTime() + maxPause.toNanos();
        while (criticalPending && !stopping.getAsBoolean()) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return;
            }
            // woken at once by report(); the short cap only bounds how late a stop request is seen
            wait(Math.max(1, Math.min(200, left / 1_000_000)));
        }
    }

    /** How one capture takes part in the priority between lanes. */
    public interface Lane {
        /** A capture without priority: never waits, reports to nobody. */
        Lane NONE = new Lane() {
            @Override
            public void beforeSend(BooleanSupplier stopping) {}

            @Override
            public void pending(int count, boolean moreToCome) {}
        };

        /**
         * Called by the capture's thread before it hands changes to its sink; may block.
         *
         * @param stopping whether the capture is stopping (then return at once)
         * @throws InterruptedException when interrupted while waiting
         */
        void beforeSend(BooleanSupplier stopping) throws InterruptedException;

        /**
         * Called by the capture's thread after it handed changes to its sink and after acknowledgements came.
         *
         * @param count changes handed to the sink and not yet acknowledged by the cloud
         * @param moreToCome whether changes are known to be still to come: the capture is inside a transaction whose
         *     END it has not received yet, or has not read to where the WAL stood at its start
         *     ({@link #tracksWhatIsToCome()})
         */
        void pending(int count, boolean moreToCome);

        /**
         * @return whether this lane needs to know what is still to come: then its capture asks Debezium for
         *     transaction metadata (BEGIN and END markers, never sent to the cloud) and writes a {@link StartBarrier}
         *     at each start
         */
        default boolean tracksWhatIsToCome() {
            return false;
        }
    }
}
