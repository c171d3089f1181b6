package dev.mecgw.app.ota;

import java.time.Instant;

/**
 * Devices that come after a rollout was planned, for {@link RolloutMachine} (issue 18 item 2, docs/ota.md "Dynamic
 * membership"): a running rollout takes them into its last percentage wave, a succeeded one adopts them, and an
 * adopted device a newer rollout took is cancelled.
 */
final class LateMembers {

    private LateMembers() {}

    /** See {@link RolloutMachine#join}. */
    static void join(Rollout rollout, String deviceId, Step step, Instant now) {
        if (rollout.state.terminal() || rollout.device(deviceId).isPresent()) {
            return;
        }
        Wave target = lastPercentWave(rollout);
        if (target == null || (target.state != WaveState.PENDING && target.state != WaveState.RUNNING)) {
            return;
        }
        DeviceRollout device = new DeviceRollout(deviceId, target.index, now);
        target.devices.add(device);
        Moves.enrol(rollout, device, "joined wave " + target.name + ": matches the selector", step, now);
        if (target.state == WaveState.RUNNING && rollout.state == RolloutState.RUNNING) {
            Moves.notify(rollout, device, step, now);
        }
    }

    /** See {@link RolloutMachine#adopt}. */
    static void adopt(Rollout rollout, String deviceId, String runningVersion, Step step, Instant now) {
        Wave follows = lastPercentWave(rollout);
        if (rollout.state != RolloutState.SUCCEEDED
                || follows == null
                || rollout.device(deviceId).isPresent()) {
            return;
        }
        DeviceRollout device = new DeviceRollout(deviceId, follows.index, now);
        device.adoptedAt = now;
        rollout.adopted.add(device);
        Moves.enrol(rollout, device, "adopted after the rollout succeeded: matches the selector", step, now);
        if (rollout.spec.version().equals(runningVersion)) {
            device.notifiedAt = now;
            device.installedAt = now;
            device.result = FirmwareReport.RESULT_SUCCESS;
            Moves.move(rollout, device, DeviceState.HEALTHY, "already runs version " + runningVersion, step, now);
            step.add(new Effect(Effect.Kind.NOTIFY, deviceId, null));
        } else {
            Moves.notify(rollout, device, step, now);
        }
    }

    /** See {@link RolloutMachine#supersede}. */
    static void supersede(Rollout rollout, String deviceId, String newerRollout, Step step, Instant now) {
        DeviceRollout device = rollout.device(deviceId).orElse(null);
        if (device == null
                || device.adoptedAt == null
                || (device.state.settled() && device.state != DeviceState.TIMED_OUT)) {
            return;
        }
        Moves.move(rollout, device, DeviceState.CANCELLED, "superseded by rollout " + newerRollout, step, now);
    }

    /** The wave that takes devices matching the selector later: the last percentage wave, null when none. */
    private static Wave lastPercentWave(Rollout rollout) {
        Wave target = null;
        for (Wave wave : rollout.waves) {
            if (rollout.spec.waves().get(wave.index).percent() > 0) {
                target = wave;
            }
        }
        return target;
    }
}
