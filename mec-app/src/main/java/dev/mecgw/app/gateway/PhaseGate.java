package dev.mecgw.app.gateway;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * Lets a scheduled job run until its lifecycle phase stops. Quarkus stops its scheduler only in {@code @PreDestroy},
 * after every {@code ShutdownEvent} observer, so after the store closed: a job that uses the store is turned off here
 * by its phase's stop observer instead. {@link #close()} waits for the runs in flight, so none is left running once
 * the phase has stopped, but only for a bound: after it the close logs a WARN naming the job and returns, so that a
 * hung job (partition DDL waiting for a lock) does not hold its phase's stop at the gate.
 *
 * <p>The bound is the gate's own (30 s) or what is left of the shutdown's one {@link StopDeadline}, whichever ends
 * first: the gates close one after the other, and their own bounds alone added up past {@code ExitHook}'s 60 s
 * (review 10, 4). Once the deadline passed, a close waits not at all, but still names the job it leaves running.
 *
 * <p>The bound covers the wait at the gate only, not what the stop does next: a job that holds something the stop
 * also needs still delays it without bound. A Debezium close inside the sync's disk guard is one: it holds its
 * {@code SyncChannel}'s monitor, and {@code CloudSync.stop()} then waits for that close in the channel's
 * {@code synchronized} stop for as long as it takes.
 *
 * <p>Runs may overlap (one gate can guard several timers of an area, e.g. {@code CloudSync}'s, without one slow job
 * delaying the others). Thread-safe.
 */
public final class PhaseGate {

    private static final Logger LOG = Logger.getLogger(PhaseGate.class);

    /** How long {@link #close()} waits for the runs in flight unless the gate was given another bound. */
    public static final Duration DEFAULT_CLOSE_WAIT = Duration.ofSeconds(30);

    /** A job that may throw what its caller (usually the scheduler) handles. */
    @FunctionalInterface
    public interface Job<E extends Exception> {
        void run() throws E;
    }

    private final String job;
    private final Duration closeWait;
    private final StopDeadline deadline;
    private boolean closed;
    private int running;

    /**
     * A gate whose close waits at most {@link #DEFAULT_CLOSE_WAIT}, within the shutdown's deadline.
     *
     * @param job what the gate guards, as an operator reads it in the WARN of a close that ran out (e.g. {@code "sync
     *     disk guard"})
     * @param deadline the application's one shutdown deadline, shared by all its gates
     */
    public PhaseGate(String job, StopDeadline deadline) {
        this(job, DEFAULT_CLOSE_WAIT, deadline);
    }

    /**
     * @param job what the gate guards, as the WARN of a close that ran out names it
     * @param closeWait how long {@link #close()} waits at most for the runs in flight, positive; less once little of
     *     the deadline is left
     * @param deadline the application's one shutdown deadline, shared by all its gates
     */
    public PhaseGate(String job, Duration closeWait, StopDeadline deadline) {
        if (closeWait.isNegative() || closeWait.isZero()) {
            throw new IllegalArgumentException("closeWait must be positive: " + closeWait);
        }
        this.job = job;
        this.closeWait = closeWait;
        this.deadline = deadline;
    }

    /** Runs {@code job} unless the gate is closed. */
    public <E extends Exception> void run(Job<E> job) throws E {
        synchronized (this) {
            if (closed) {
                return;
            }
            running++;
        }
        try {
            job.run();
        } finally {
            synchronized (this) {
                running--;
                notifyAll();
            }
        }
    }

    /**
     * Closes the gate: later runs do nothing. Waits for the runs in flight, at most the gate's close wait or what is
     * left of the shutdown's deadline, whichever is less (nothing once it passed; a gate without runs in flight closes
     * at once either way); a run still going then is logged at WARN and left to end on its own (it may then meet a
     * closed store).
     */
    public synchronized void close() {
        closed = true;
        long begin = deadline.now();
        long wait = Math.min(closeWait.toNanos(), deadline.leftAt(begin));
        boolean interrupted = false;
        while (running > 0) {
            long left = begin + wait - deadline.now();
            if (left <= 0) {
                warnLeftRunning(wait);
                break;
            }
            try {
                TimeUnit.NANOSECONDS.timedWait(this, left);
            } catch (InterruptedException e) {
                // The stop goes on waiting, within the bound: returning early would let the job outlive its phase.
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    private void warnLeftRunning(long waited) {
        if (waited < closeWait.toNanos()) {
            LOG.warnf(
                    "Scheduled job '%s' still running (%d run(s)) at the shutdown's deadline, %d ms after the"
                            + " stop began (its gate waited %d ms); the shutdown goes on without waiting for it",
                    job, running, deadline.budget().toMillis(), TimeUnit.NANOSECONDS.toMillis(waited));
        } else {
            LOG.warnf(
                    "Scheduled job '%s' still running (%d run(s)) %d ms after its phase's stop began; the shutdown"
                            + " goes on without waiting for it",
                    job, running, closeWait.toMillis());
        }
    }
}
