package dev.mecgw.app.gateway;

/**
 * Lets a scheduled job run until its lifecycle phase stops. Quarkus stops its scheduler only in {@code @PreDestroy},
 * after every {@code ShutdownEvent} observer, so after the store closed: a job that uses the store is turned off here
 * by its phase's stop observer instead. {@link #close()} waits for a run in flight, so none is left running once the
 * phase has stopped. Thread-safe.
 */
public final class PhaseGate {

    /** A job that may throw what the scheduler logs. */
    @FunctionalInterface
    public interface Job {
        void run() throws Exception;
    }

    private boolean closed;

    /** Runs {@code job} unless the gate is closed. */
    public synchronized void run(Job job) throws Exception {
        if (!closed) {
            job.run();
        }
    }

    /** Closes the gate, after the run in flight if any; later runs do nothing. */
    public synchronized void close() {
        closed = true;
    }
}
