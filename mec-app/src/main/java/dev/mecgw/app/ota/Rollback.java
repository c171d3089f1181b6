package dev.mecgw.app.ota;

import java.time.Instant;

/**
 * Aborting a rollout for {@link RolloutMachine}: every device it touched is rolled back to its previous firmware
 * through the desired twin (a ROLLBACK effect), pending devices and waves are cancelled, the running wave fails.
 */
final class Rollback {

    private static final String ABORTED = "rollout aborted";

    private Rollback() {}

    static void abort(Rollout rollout, String reason, Step step, Instant now) {
        for (Wave wave : rollout.waves) {
            for (DeviceRollout device : wave.devices) {
                if (device.state.touched()) {
                    Moves.move(rollout, device, DeviceState.ROLLED_BACK, ABORTED, step, now);
                    step.add(new Effect(Effect.Kind.ROLLBACK, device.deviceId, device.previousFirmware));
                } else if (device.state == DeviceState.PENDING) {
                    Moves.move(rollout, device, DeviceState.CANCELLED, ABORTED, step, now);
                }
            }
            if (wave.state == WaveState.RUNNING) {
                wave.endedAt = now;
                Moves.moveWave(rollout, wave, WaveState.FAILED, reason, step, now);
            } else if (wave.state == WaveState.PENDING) {
                Moves.moveWave(rollout, wave, WaveState.CANCELLED, ABORTED, step, now);
            }
        }
        Moves.moveRollout(rollout, RolloutState.ABORTED, reason, step, now);
    }
}
