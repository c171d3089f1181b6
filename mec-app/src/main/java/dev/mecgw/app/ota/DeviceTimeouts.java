package dev.mecgw.app.ota;

import java.time.Instant;

/**
 * Device timeouts for {@link RolloutMachine} ({@link RolloutMachine#TIMEOUTS}): a pending device is notified once its
 * rollout runs, an in-flight one times out after {@code deviceTimeout}, an installed one is judged by the
 * {@link HealthGate} after its health window.
 *
 * @param health the verdict on a device after its health window
 * @param watchingSince when the gateway started: the health gate judges only time from then on
 */
record DeviceTimeouts(HealthGate health, Instant watchingSince) {

    /** Moves the device on when the timeout of its state ran out; nothing happens before. */
    void expire(Rollout rollout, DeviceRollout device, Step step, Instant now) {
        RolloutMachine.Timeout timeout = RolloutMachine.TIMEOUTS.get(device.state);
        if (timeout == null || now.isBefore(device.since.plus(timeout.after().apply(rollout.spec)))) {
            return;
        }
        switch (device.state) {
            case PENDING -> {
                if (rollout.state == RolloutState.RUNNING) {
                    Moves.notify(rollout, device, step, now);
                }
            }
            case INSTALLED -> judge(rollout, device, step, now);
            default -> timeOut(rollout, device, step, now);
        }
    }

    private static void timeOut(Rollout rollout, DeviceRollout device, Step step, Instant now) {
        Moves.move(
                rollout,
                device,
                DeviceState.TIMED_OUT,
                "no progress within " + rollout.spec.deviceTimeout() + " in state "
                        + RolloutMachine.lower(device.state),
                step,
                now);
        // The report read last is what the device said before it went silent: it stays in the twin, and only a later
        // one brings the device back (DeviceReports).
        if (device.reportRead != null) {
            device.reportSeen(device.reportRead);
        }
    }

    private void judge(Rollout rollout, DeviceRollout device, Step step, Instant now) {
        // A health window cut by a gateway restart starts over at the restart: readings a device could not
        // deliver while its gateway was down are no regression of its firmware (issue 18.3, kill -9 test).
        Instant watchedFrom = device.installedAt.isBefore(watchingSince) ? watchingSince : device.installedAt;
        if (now.isBefore(watchedFrom.plus(rollout.spec.healthWindow()))) {
            return;
        }
        var sick = health.unhealthy(device.deviceId, device.notifiedAt, watchedFrom, now);
        if (sick.isPresent()) {
            Moves.move(rollout, device, DeviceState.FAILED, "health gate: " + sick.get(), step, now);
        } else {
            Moves.move(rollout, device, DeviceState.HEALTHY, "healthy for " + rollout.spec.healthWindow(), step, now);
        }
    }
}
