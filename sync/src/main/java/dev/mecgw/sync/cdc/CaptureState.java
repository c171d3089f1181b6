package dev.mecgw.sync.cdc;

/** Lifecycle of a {@link ChangeCapture}. */
public enum CaptureState {
    /** No cloud is configured: nothing is captured and the gateway runs without sync. */
    NOT_CONFIGURED,
    /** Created, not started yet. */
    CREATED,
    /** The engine is connecting to PostgreSQL, creating the slot/publication or snapshotting. */
    STARTING,
    /** Streaming changes from the replication slot. */
    RUNNING,
    /** A stop was requested and the engine is finishing its current batch. */
    STOPPING,
    /** Stopped on request. */
    STOPPED,
    /** Stopped by an error; see {@link ChangeCapture#failure()}. */
    FAILED
}
