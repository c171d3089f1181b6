package dev.mecgw.app.ota;

/**
 * The {@code firmware} object of a device's reported twin (docs/ota.md).
 *
 * @param version the firmware version the device runs, may be null
 * @param state {@code idle|downloading|downloaded|updating}
 * @param result the LwM2M Update Result: 0 initial, 1 success, 2-9 failures
 * @param rollout the rollout the report answers; reports of other rollouts are ignored
 * @param error free text the device gave with a failure, may be null
 * @param reportedVersion the device twin's {@code reported_version} of the last report that carried this object
 *     ({@code ReportedTwin.versionOf}): every firmware report the device sends raises it, also one that says the same
 *     again, but a report of another key does not; so the same number read again is the same, old report (a device
 *     moves only on one sent after it was notified or timed out)
 */
public record FirmwareReport(
        String version, String state, int result, String rollout, String error, long reportedVersion) {

    public static final int RESULT_INITIAL = 0;
    public static final int RESULT_SUCCESS = 1;
    public static final int RESULT_INTEGRITY = 5;

    /** Whether the result is one of the LwM2M failure codes (2-9). */
    public boolean failed() {
        return result >= 2;
    }
}
