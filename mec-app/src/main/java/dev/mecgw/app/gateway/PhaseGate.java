package dev.mecgw.app.gateway;

/**
 * Lets a scheduled job run until its lifecycle phase stops. Quarkus stops its scheduler only in {@code @PreDestroy},
 * after every {@code ShutdownEvent} observer, so after the store closed: a job that uses the store is turned off here
 * by its phase's stop observer instead. {@link #close()} waits for the runs in flight, so none is left running once
 * the phase has stopped. Runs may overlap (one gate can guard several timers of an area, e.g. {@code CloudSync}'s,
 * without one slow job delaying the others). Thread-safe.
 */
public final class PhaseGate {

    /** A job that may throw what its caller (usually the scheduler) handles. */
    @FunctionalInterface
    public interface Job<E extends Exception> {
        void run() throws E;
    }

    private boolean closed;
    private int running;

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

    /** Closes the gate, after the runs in flight if any; later runs do nothing. */
    public synchronized void close() {
        closed = true;
        boolean interrupted = false;
        while (running > 0) {
            try {
                wait();
            } catch (InterruptedException e) {
                // The stop goes on waiting: returning early would let the job outlive its phase.
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
