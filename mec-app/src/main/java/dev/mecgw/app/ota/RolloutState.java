package dev.mecgw.app.ota;

/** The state of a firmware rollout as a whole (issue 18 item 2). */
public enum RolloutState {
    /** Waves start one after the other; device timeouts and health gates are evaluated on every tick. */
    RUNNING,
    /** No device is notified and no wave starts; devices already notified still progress and time out. */
    PAUSED,
    /** Every wave reached its success share and stayed healthy for the health window. Terminal. */
    SUCCEEDED,
    /** Aborted by an operator or by the error threshold; updated and failed devices were rolled back. Terminal. */
    ABORTED;

    public boolean terminal() {
        return this == SUCCEEDED || this == ABORTED;
    }
}
