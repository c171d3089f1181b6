package dev.mecgw.ran.event;

/**
 * Where network events go; mec-app writes them to its {@code events} table. Implementations may block
 * (JDBC); callers call from worker threads only, and a failing sink must not undo the action it reports.
 */
@FunctionalInterface
public interface NetworkEventSink {

    /**
     * Records one event.
     *
     * @throws RuntimeException when it could not be stored; callers log and carry on
     */
    void record(NetworkEvent event);
}
