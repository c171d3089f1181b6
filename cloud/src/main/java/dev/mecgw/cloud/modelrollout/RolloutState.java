package dev.mecgw.cloud.modelrollout;

/** Where a model rollout is: {@code running} and {@code paused} move on; the others are final. */
public enum RolloutState {
    RUNNING,
    PAUSED,
    SUCCEEDED,
    ABORTED;

    /** Whether nothing moves any more. */
    public boolean terminal() {
        return this == SUCCEEDED || this == ABORTED;
    }
}
