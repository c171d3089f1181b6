package dev.mecgw.app.ota;

/**
 * Where one device stands in a rollout. The first five follow the device's reported firmware state (LwM2M
 * Object 5 semantics, docs/ota.md); {@link #INSTALLED} is not success: only the health gate turns it into
 * {@link #HEALTHY}. Every non-terminal state has a timeout and a next state ({@link RolloutMachine#TIMEOUTS}).
 */
public enum DeviceState {
    PENDING,
    NOTIFIED,
    DOWNLOADING,
    DOWNLOADED,
    UPDATING,
    INSTALLED,
    HEALTHY,
    FAILED,
    TIMED_OUT,
    ROLLED_BACK,
    CANCELLED;

    /** Whether the device will not move again in this rollout unless an operator retries it. */
    public boolean settled() {
        return this == HEALTHY || this == FAILED || this == TIMED_OUT || this == ROLLED_BACK || this == CANCELLED;
    }

    /** Whether the device counts against the error threshold. */
    public boolean failure() {
        return this == FAILED || this == TIMED_OUT;
    }

    /** Whether the gateway wrote the new firmware into the device's desired twin. */
    public boolean touched() {
        return this != PENDING && this != CANCELLED && this != ROLLED_BACK;
    }
}
