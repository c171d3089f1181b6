package dev.mecgw.app.ota;

import java.time.Instant;

/**
 * A device's reported firmware object applied to its state, for {@link RolloutMachine} (docs/ota.md): reports move a
 * device forward only, result 2-9 fails it, result 1 with the new version installs it; a timed-out device that
 * reports on this rollout after it timed out is picked up again. Reports about other rollouts and of settled devices
 * are ignored, and so is a report the device sent before the gateway last notified it or timed it out, read again
 * ({@link DeviceRollout#reportSeen}).
 */
final class DeviceReports {

    private DeviceReports() {}

    /** @return false when the report was ignored */
    static boolean apply(Rollout rollout, String deviceId, FirmwareReport report, Step step, Instant now) {
        DeviceRollout device = rollout.device(deviceId).orElse(null);
        if (device == null) {
            return false;
        }
        device.reportRead = report.reportedVersion();
        if (!listening(rollout, device) || !rollout.id.equals(report.rollout())) {
            return false;
        }
        // Only a report sent after the gateway last notified the device or timed it out counts: the one before stays
        // in the twin and is read on every tick. It moved a timed-out device back after every deviceTimeout, and a
        // retried one straight back to failed or downloading on the old attempt's word.
        if (!later(report, device.reportSeen)) {
            return false;
        }
        // A timed-out device that comes back and reports on this rollout is picked up again (issue 18 item 2): its
        // desired twin still names the new firmware.
        boolean back = device.state == DeviceState.TIMED_OUT;
        if (back) {
            device.reportSeen(report.reportedVersion());
        }
        if (!device.state.touched() || (device.state.settled() && !back)) {
            return false;
        }
        if (report.failed()) {
            device.result = report.result();
            Moves.move(rollout, device, DeviceState.FAILED, failureText(report), step, now);
        } else if (report.result() == FirmwareReport.RESULT_SUCCESS
                && rollout.spec.version().equals(report.version())) {
            device.result = report.result();
            if (device.state != DeviceState.INSTALLED) {
                device.installedAt = now;
                Moves.move(
                        rollout,
                        device,
                        DeviceState.INSTALLED,
                        "device reports version " + report.version(),
                        step,
                        now);
            }
        } else {
            DeviceState reported = reportedState(report.state());
            if (reported != null && (back || reported.ordinal() > device.state.ordinal())) {
                Moves.move(
                        rollout,
                        device,
                        reported,
                        (back ? "back after its timeout: " : "") + "device reports " + report.state(),
                        step,
                        now);
            }
        }
        return true;
    }

    private static boolean later(FirmwareReport report, Long seen) {
        // Versions only rise within one twin; a lower one is a new twin (the device deleted and registered again,
        // its twin's versions from 1), whose every report is new.
        return seen == null || report.reportedVersion() != seen;
    }

    /** A moving rollout hears all its devices; a succeeded one only those it adopted (docs/ota.md). */
    private static boolean listening(Rollout rollout, DeviceRollout device) {
        return !rollout.state.terminal() || (rollout.state == RolloutState.SUCCEEDED && device.adoptedAt != null);
    }

    private static DeviceState reportedState(String state) {
        if (state == null) {
            return null;
        }
        return switch (state) {
            case "downloading" -> DeviceState.DOWNLOADING;
            case "downloaded" -> DeviceState.DOWNLOADED;
            case "updating" -> DeviceState.UPDATING;
            default -> null;
        };
    }

    private static String failureText(FirmwareReport report) {
        String text = "update result " + report.result();
        return report.error() == null ? text : text + ": " + report.error();
    }
}
