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
 * <p>The bound covers the wait at the gate only, not what the stop does next: a job that holds something the stop
 * also needs still delays it without bound. A Debezium close inside the sync's disk guard is one: it holds its
 * {@code SyncChannel}'s monitor, and {@code CloudSync.stop()} then waits for that close in the channel's
 * {@code synchronized} stop for as long as it takes. And the bounds of gates closed one after the other add up,
 * against {@code ExitHook}'s 60 s: a job runs through one gate, not through a gate inside another (review 10, 4).
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
    private boolean closed;
    private int running;

    /**
     * A gate whose close waits at most {@link #DEFAULT_CLOSE_WAIT}.
     *
     * @param job what the gate guards, as an operator reads it in the WARN of a close that ran out (e.g. {@code "sync
     *     disk guard"})
     */
    public PhaseGate(String job) {
        this(job, DEFAULT_CLOSE_WAIT);
    }

    /**
     * @param job what the gate guards, as the WARN of a close that ran out names it
     * @param closeWait how long {@link #close()} waits at most for the runs in flight, positive
     */
    public PhaseGate(String job, Duration closeWait) {
        if (closeWait.isNegative() || closeWait.isZero()) {
            throw new IllegalArgumentException("closeWait must be positive: " + closeWait);
        }
        this.job = job;
        this.closeWait = closeWait;
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
     * Closes the gate: later runs do nothing. Waits for the runs in flight, at most the gate's close wait; a run
     * still going then is logged at WARN and left to end on its own (it may then meet a closed store).
     */
    public synchronized void close() {
        closed = true;
        long deadline = System.nanoTime() + closeWait.toNanos();
        boolean interrupted = false;
        while (running > 0) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                LOG.warnf(
                        "Scheduled job '%s' still running (%d run(s)) %d ms after its phase's stop began; the shutdown"
                                + " goes on without waiting for it",
                        job, running, closeWait.toMillis());
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
}
