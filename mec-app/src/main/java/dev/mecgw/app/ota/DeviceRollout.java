package dev.mecgw.app.ota;

import java.time.Instant;

/** One device's progress in a rollout; mutated only by {@link RolloutMachine} (and the store when loading). */
public final class DeviceRollout {

    final String deviceId;
    final int wave;
    DeviceState state;
    int result;
    String error;
    Instant since;
    Instant notifiedAt;
    Instant installedAt;
    String previousFirmware;
    Instant adoptedAt;
    Long reportSeen;
    /** The reported version of the last report this copy was given (the tick's read), kept in memory only. */
    Long reportRead;

    boolean dirty;

    public DeviceRollout(String deviceId, int wave, Instant since) {
        this.deviceId = deviceId;
        this.wave = wave;
        this.state = DeviceState.PENDING;
        this.since = since;
        this.dirty = true;
    }

    /** Rebuilds a stored device row. */
    public static DeviceRollout restore(
            String deviceId,
            int wave,
            DeviceState state,
            int result,
            String error,
            Instant since,
            Instant notifiedAt,
            Instant installedAt,
            String previousFirmware) {
        DeviceRollout device = new DeviceRollout(deviceId, wave, since);
        device.state = state;
        device.result = result;
        device.error = error;
        device.notifiedAt = notifiedAt;
        device.installedAt = installedAt;
        device.previousFirmware = previousFirmware;
        device.dirty = false;
        return device;
    }

    public String deviceId() {
        return deviceId;
    }

    public int wave() {
        return wave;
    }

    public DeviceState state() {
        return state;
    }

    /** The last LwM2M Update Result the device reported in this rollout. */
    public int result() {
        return result;
    }

    /** The last error: the device's own text, a timeout or the health gate's reason; null when none. */
    public String error() {
        return error;
    }

    /** When the device entered its current state. */
    public Instant since() {
        return since;
    }

    public Instant notifiedAt() {
        return notifiedAt;
    }

    public Instant installedAt() {
        return installedAt;
    }

    /** When a settled rollout adopted the device (docs/ota.md "Dynamic membership"); null for a wave member. */
    public Instant adoptedAt() {
        return adoptedAt;
    }

    /** The desired {@code firmware} object before this rollout (JSON), restored on rollback; null when none. */
    public String previousFirmware() {
        return previousFirmware;
    }

    /** Records the firmware object the device was meant to run before it was notified. */
    public void previousFirmware(String firmwareJson) {
        this.previousFirmware = firmwareJson;
        this.dirty = true;
    }

    /**
     * The version of the device's firmware report (docs/ota.md "Which report counts") that the gateway saw last when it
     * wrote the desired twin that notified the device, when the device timed out, or since while it stays timed out:
     * only a later report moves the device, and for an adopted device the store looks at its settled rollout again
     * only then ("Dynamic membership"); null when never recorded.
     */
    public Long reportSeen() {
        return reportSeen;
    }

    /**
     * Records the reported version read for this device; the row changes only when it differs. A lower one is a new
     * twin (the device deleted and registered again): the mark follows it down, or the new twin's reports would all
     * read as new, or none would.
     */
    void reportSeen(long reportedVersion) {
        if (reportSeen == null || reportSeen != reportedVersion) {
            this.reportSeen = reportedVersion;
            this.dirty = true;
        }
    }

    /**
     * The desired twin that (re)notified the device was written when its firmware report stood at this version
     * (null: it had reported none): only a later report moves it. Every notification goes through here (a wave start,
     * a late member, an adoption, a retry, a retried device notified on resume): after a retry the twin still holds
     * the old attempt's report, a failed result or {@code downloading}, which would move the device at once.
     */
    void notifiedAfter(Long reportedVersion) {
        if (reportedVersion != null) {
            reportSeen(reportedVersion);
        }
    }

    /** Whether the row changed since it was loaded or last saved. */
    public boolean dirty() {
        return dirty;
    }

    public void saved() {
        dirty = false;
    }
}
