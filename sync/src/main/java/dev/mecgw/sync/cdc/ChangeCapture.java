package dev.mecgw.sync.cdc;

import java.util.Optional;

/**
 * Captures committed row changes from the local PostgreSQL and hands them to a {@link ChangeSink}. It resumes
 * after a restart from the durably stored offset of the last change the sink acknowledged.
 */
public interface ChangeCapture extends AutoCloseable {

    /**
     * Starts capturing in the background and returns at once.
     *
     * @throws IllegalStateException when already started
     */
    void start();

    /** @return the current lifecycle state; safe from any thread */
    CaptureState state();

    /** @return why the capture failed, when {@link #state()} is {@link CaptureState#FAILED} */
    Optional<String> failure();

    /** Stops capturing, waiting for the current batch; changes not yet acknowledged are captured again later. */
    @Override
    void close();
}
