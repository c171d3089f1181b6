package dev.mecgw.cloud.modelrollout;

/** Where one wave of a model rollout is. */
public enum WaveState {
    PENDING,
    RUNNING,
    SUCCEEDED,
    FAILED,
    CANCELLED
}
