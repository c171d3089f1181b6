package dev.mecgw.sync.cdc;

import java.time.Duration;
import java.util.function.BooleanSupplier;
import org.jboss.logging.Logger;

/**
 * Priority between the critical and the bulk capture of one site (issue 14.7, docs/sync.md "Priority lanes"): the
 * bulk capture hands nothing to its sink while the critical capture has changes waiting for the cloud, or is inside a
 * transaction it has not received completely (Debezium may hand one transaction over in several batches), so that
 * after an outage critical changes reach the cloud first and the bulk lane cannot take the backhaul from them. The pause
 * is bounded ({@code maxPause} per bulk batch), so that a critical lane that stays stuck (a failed capture, a table
 * the cloud refuses) cannot starve the bulk lane for ever. The gate starts closed, and each start of the critical
 * capture closes it again: until that capture has read to where the WAL stood at its start ({@link StartBarrier}),
 * the bulk lane does not know whether critical changes wait.
 * <p>
 * Each start of the critical capture reports through a {@link Session} of its own, and only the latest session
 * counts: a handler of an earlier start (one still finishing a batch after a close that gave up waiting, or an engine
 * that ran on) can neither open the gate nor hold it (review 10, finding 3). Thread-safe.
 */
public final class LaneGate {

    private static final Logger LOG = Logger.getLogger(LaneGate.class);

    private final Duration maxPause;
    private boolean criticalPending = true;
    /** Number of the critical capture's latest session; reports of an earlier one are stale. */
    private long criticalSession;
    /** Reports of an earlier session, ignored: only counted and logged at DEBUG. */
    private long staleReports;

    /** @param maxPause longest wait of one bulk batch for the critical lane */
    LaneGate(Duration maxPause) {
        this.maxPause = maxPause;
    }

    /** @return the lane of the critical capture: each of its sessions reports its pending changes to this gate */
    public Lane critical() {
        return new Lane() {
            @Override
            public Session session() {
                return openCriticalSession();
            }

            @Override
            public boolean tracksWhatIsToCome() {
                return true;
            }
        };
    }

    /** @return the lane of the bulk capture: each of its sessions waits at this gate before it sends */
    public Lane bulk() {
        Session waiting = new Session() {
            @Override
            public void beforeSend(BooleanSupplier stopping) throws InterruptedException {
                awaitCriticalDrained(stopping);
            }

            @Override
            public void pending(int count, boolean moreToCome) {}
        };
        return () -> waiting;
    }

    private synchronized Session openCriticalSession() {
        long session = ++criticalSession;
        // a new start knows nothing yet of what is to come: the gate may still be open from an earlier start
        update(true);
        return new Session() {
            @Override
            public void beforeSend(BooleanSupplier stopping) {}

            @Override
            public void pending(int count, boolean moreToCome) {
                report(session, count > 0 || moreToCome);
            }
        };
    }

    private synchronized void report(long session, boolean pending) {
        if (session != criticalSession) {
            // DEBUG: a leaked handler may report once per batch until its engine ends
            staleReports++;
            LOG.debugf(
                    "critical lane: report of session %d ignored, session %d is current (%d stale reports)",
                    session, criticalSession, staleReports);
            return;
        }
        update(pending);
    }

    private synchronized void update(boolean pending) {
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

    /** @return how many reports of an earlier critical session this gate ignored */
    synchronized long staleReports() {
        return staleReports;
    }

    private synchronized void awaitCriticalDrained(BooleanSupplier stopping) throws InterruptedException {
        long deadline = System.nanoTime() + maxPause.toNanos();
        while (criticalPending && !stopping.getAsBoolean()) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return;
            }
            // woken at once by update(); the short cap only bounds how late a stop request is seen
            wait(Math.max(1, Math.min(200, left / 1_000_000)));
        }
    }

    /** How one capture takes part in the priority between lanes. */
    public interface Lane {
        /** A capture without priority: its sessions never wait and report to nobody. */
        Lane NONE = () -> Session.NONE;

        /**
         * Opens the part of one start of the capture, called once per start before its engine runs. On the critical
         * lane it closes the gate, and from then on only the returned session's reports count; on the others it has
         * no effect.
         *
         * @return what this start's handler reports to and waits at
         */
        Session session();

        /**
         * @return whether this lane needs to know what is still to come: then its capture asks Debezium for
         *     transaction metadata (BEGIN and END markers, never sent to the cloud) and writes a {@link StartBarrier}
         *     at each start
         */
        default boolean tracksWhatIsToCome() {
            return false;
        }
    }

    /** One start's part in the priority between lanes: used by that start's handler, on the engine's polling thread. */
    public interface Session {
        /** Never waits, reports to nobody. */
        Session NONE = new Session() {
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
         * Called by the capture's thread after it handed changes to its sink and after acknowledgements came; ignored
         * once a later session of the same lane was opened.
         *
         * @param count changes handed to the sink and not yet acknowledged by the cloud
         * @param moreToCome whether changes are known to be still to come: the capture is inside a transaction whose
         *     END it has not received yet, or has not read to where the WAL stood at its start
         *     ({@link Lane#tracksWhatIsToCome()})
         */
        void pending(int count, boolean moreToCome);
    }
}
