package dev.mecgw.app.ota;

import java.time.Instant;

/**
 * The one place a rollout, a wave or a device of it changes state, for {@link RolloutMachine}: each change becomes a
 * {@link Transition} of the step (an event once saved) and stamps the rollout's {@code updatedAt}.
 */
final class Moves {

    private Moves() {}

    static void move(Rollout rollout, DeviceRollout device, DeviceState to, String reason, Step step, Instant now) {
        transition(rollout, "device", device.deviceId, lower(device.state), to, reason, step, now);
        if (to == DeviceState.FAILED || to == DeviceState.TIMED_OUT) {
            // The last error stays on the device row for the rollout view (issue 18 item 4).
            device.error = reason;
        }
        device.state = to;
        device.since = now;
        device.dirty = true;
    }

    static void moveWave(Rollout rollout, Wave wave, WaveState to, String reason, Step step, Instant now) {
        transition(rollout, "wave", wave.name, lower(wave.state), to, reason, step, now);
        wave.state = to;
        wave.reason = reason;
    }

    static void moveRollout(Rollout rollout, RolloutState to, String reason, Step step, Instant now) {
        transition(rollout, "rollout", rollout.id, lower(rollout.state), to, reason, step, now);
        rollout.state = to;
        rollout.reason = reason;
    }

    /** A device that joins or is adopted enters the rollout: from none to pending. */
    static void enrol(Rollout rollout, DeviceRollout device, String reason, Step step, Instant now) {
        transition(rollout, "device", device.deviceId, "none", DeviceState.PENDING, reason, step, now);
    }

    /** Adds the transition to the step and stamps the rollout's {@code updatedAt}. */
    private static void transition(
            Rollout rollout,
            String scope,
            String subject,
            String from,
            Enum<?> to,
            String reason,
            Step step,
            Instant now) {
        step.add(new Transition(rollout.id, scope, subject, from, lower(to), reason, now));
        rollout.updatedAt = now;
    }

    private static String lower(Enum<?> state) {
        return RolloutMachine.lower(state);
    }

    /** The device is to get the new firmware: notified, and its desired twin written (a NOTIFY effect). */
    static void notify(Rollout rollout, DeviceRollout device, Step step, Instant now) {
        device.notifiedAt = now;
        device.error = null;
        move(rollout, device, DeviceState.NOTIFIED, "desired firmware " + rollout.spec.version(), step, now);
        step.add(new Effect(Effect.Kind.NOTIFY, device.deviceId, null));
    }
}
