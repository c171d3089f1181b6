package dev.mecgw.app.ota;

import java.time.Instant;

/**
 * The one place a rollout, a wave or a device of it changes state, for {@link RolloutMachine}: each change becomes a
 * {@link Transition} of the step (an event once saved) and stamps the rollout's {@code updatedAt}.
 */
final class Moves {

    private Moves() {}

    static void move(Rollout rollout, DeviceRollout device, DeviceState to, String reason, Step step, Instant now) {
        step.add(new Transition(
                rollout.id,
                "device",
                device.deviceId,
                RolloutMachine.lower(device.state),
                RolloutMachine.lower(to),
                reason,
                now));
        if (to == DeviceState.FAILED || to == DeviceState.TIMED_OUT) {
            // The last error stays on the device row for the rollout view (issue 18 item 4).
            device.error = reason;
        }
        device.state = to;
        device.since = now;
        device.dirty = true;
        rollout.updatedAt = now;
    }

    static void moveWave(Rollout rollout, Wave wave, WaveState to, String reason, Step step, Instant now) {
        step.add(new Transition(
                rollout.id,
                "wave",
                wave.name,
                RolloutMachine.lower(wave.state),
                RolloutMachine.lower(to),
                reason,
                now));
        wave.state = to;
        wave.reason = reason;
        rollout.updatedAt = now;
    }

    static void moveRollout(Rollout rollout, RolloutState to, String reason, Step step, Instant now) {
        step.add(new Transition(
                rollout.id,
                "rollout",
                rollout.id,
                RolloutMachine.lower(rollout.state),
                RolloutMachine.lower(to),
                reason,
                now));
        rollout.state = to;
        rollout.reason = reason;
        rollout.updatedAt = now;
    }

    /** A device that joins or is adopted enters the rollout: from none to pending. */
    static void enrol(Rollout rollout, DeviceRollout device, String reason, Step step, Instant now) {
        step.add(new Transition(
                rollout.id, "device", device.deviceId, "none", RolloutMachine.lower(DeviceState.PENDING), reason, now));
        rollout.updatedAt = now;
    }

    /** The device is to get the new firmware: notified, and its desired twin written (a NOTIFY effect). */
    static void notify(Rollout rollout, DeviceRollout device, Step step, Instant now) {
        device.notifiedAt = now;
        device.error = null;
        move(rollout, device, DeviceState.NOTIFIED, "desired firmware " + rollout.spec.version(), step, now);
        step.add(new Effect(Effect.Kind.NOTIFY, device.deviceId, null));
    }
}
