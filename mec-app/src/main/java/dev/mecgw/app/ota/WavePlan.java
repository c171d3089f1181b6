package dev.mecgw.app.ota;

import java.time.Instant;

/**
 * Wave planning for {@link RolloutMachine}: while a wave runs its verdict decides ({@link WaveVerdict}); once it
 * ended, the next pending wave starts and its pending devices are notified, as long as the rollout runs; after the
 * last wave the rollout succeeds.
 */
final class WavePlan {

    private WavePlan() {}

    /** Checks the running wave's thresholds, ends it, and starts the next wave while the rollout runs. */
    static void advance(Rollout rollout, Step step, Instant now) {
        while (!rollout.state.terminal()) {
            Wave running = rollout.waves.stream()
                    .filter(w -> w.state == WaveState.RUNNING)
                    .findFirst()
                    .orElse(null);
            if (running != null) {
                if (!WaveVerdict.judge(rollout, running, step, now)) {
                    return;
                }
                continue;
            }
            if (rollout.state != RolloutState.RUNNING) {
                return;
            }
            Wave next = rollout.waves.stream()
                    .filter(w -> w.state == WaveState.PENDING)
                    .findFirst()
                    .orElse(null);
            if (next == null) {
                Moves.moveRollout(rollout, RolloutState.SUCCEEDED, "every wave succeeded", step, now);
                return;
            }
            next.startedAt = now;
            Moves.moveWave(rollout, next, WaveState.RUNNING, "started", step, now);
            for (DeviceRollout device : next.devices) {
                if (device.state == DeviceState.PENDING) {
                    Moves.notify(rollout, device, step, now);
                }
            }
        }
    }
}
