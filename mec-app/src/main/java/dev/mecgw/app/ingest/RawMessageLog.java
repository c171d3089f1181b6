package dev.mecgw.app.ingest;

/**
 * Keeps the last raw messages of each device for operators (issue 19). Front-ends call it with the outcome just
 * before they answer the device, so an implementation must be O(1), never block and never fail; it is thread-safe.
 */
public interface RawMessageLog {

    /** A log that keeps nothing (tests, front-ends built without a console). */
    RawMessageLog NONE = message -> {};

    /**
     * Records a message and its outcome.
     *
     * @param message never null; its payload is not modified
     */
    void record(RawMessage message);
}
