package dev.mecgw.app.ota;

/** The state of one wave of a rollout. */
public enum WaveState {
    /** Not started: its devices are not notified yet. */
    PENDING,
    /** Its devices are being updated or watched by the health gate. */
    RUNNING,
    /** Every device is settled and the healthy share reached the success threshold. */
    SUCCEEDED,
    /** The error threshold was crossed, or the settled wave missed the success threshold. */
    FAILED,
    /** The rollout was aborted before this wave started. */
    CANCELLED
}
