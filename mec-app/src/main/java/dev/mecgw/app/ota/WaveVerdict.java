package dev.mecgw.app.ota;

import java.time.Instant;
import java.util.Locale;

/**
 * The verdict on a running wave for {@link RolloutMachine} (issue 18 item 2): failed plus timed-out devices reaching
 * the error threshold (with its minimum sample) abort the rollout at any time; once every device settled, the wave
 * succeeds when its healthy share reaches the success threshold, else the rollout aborts. A succeeded wave pauses
 * the rollout when {@code onWaveSuccess} is pause.
 */
final class WaveVerdict {

    private WaveVerdict() {}

    /** @return true when the wave ended (succeeded, or failed and aborted the rollout) */
    static boolean judge(Rollout rollout, Wave wave, Step step, Instant now) {
        RolloutSpec spec = rollout.spec;
        int size = wave.devices.size();
        long failed = wave.devices.stream().filter(d -> d.state.failure()).count();
        if (failed >= spec.errorMinDevices() && failed * 100.0 >= spec.errorPercent() * size && failed > 0) {
            String why = String.format(
                    Locale.ROOT,
                    "error threshold: %d of %d devices of wave %s failed (limit %s%%, minimum %d)",
                    failed,
                    size,
                    wave.name,
                    spec.errorPercent(),
                    spec.errorMinDevices());
            Rollback.abort(rollout, why, step, now);
            return true;
        }
        if (!wave.devices.stream().allMatch(d -> d.state.settled())) {
            return false;
        }
        long healthy = wave.devices.stream()
                .filter(d -> d.state == DeviceState.HEALTHY)
                .count();
        double share = size == 0 ? 1.0 : (double) healthy / size;
        if (share < spec.successThreshold()) {
            String why = String.format(
                    Locale.ROOT,
                    "wave %s: %d of %d devices healthy, below the success threshold %s",
                    wave.name,
                    healthy,
                    size,
                    spec.successThreshold());
            Rollback.abort(rollout, why, step, now);
            return true;
        }
        wave.endedAt = now;
        Moves.moveWave(rollout, wave, WaveState.SUCCEEDED, healthy + " of " + size + " devices healthy", step, now);
        boolean last = wave.index == rollout.waves.size() - 1;
        if (!last && spec.pauseAfterWave() && rollout.state == RolloutState.RUNNING) {
            Moves.moveRollout(
                    rollout,
                    RolloutState.PAUSED,
                    "wave " + wave.name + " succeeded; onWaveSuccess is pause",
                    step,
                    now);
        }
        return true;
    }
}
