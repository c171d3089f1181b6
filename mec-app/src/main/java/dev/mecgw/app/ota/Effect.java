package dev.mecgw.app.ota;

/**
 * What the machine asks of the device side after a step: write the new firmware into a device's desired twin
 * ({@link Kind#NOTIFY}) or put back the firmware object it had before ({@link Kind#ROLLBACK}).
 *
 * @param kind what to write
 * @param deviceId the device
 * @param previousFirmware for a rollback: the desired firmware object before the rollout (JSON), null for none
 */
public record Effect(Kind kind, String deviceId, String previousFirmware) {

    public enum Kind {
        NOTIFY,
        ROLLBACK
    }
}
