package dev.mecgw.app.ota;

import dev.mecgw.app.problem.ErrorKind;
import dev.mecgw.app.problem.GatewayException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * The rollout state machine (issue 18 items 2-3), the one place rollouts, waves and devices change state. It
 * is pure: each call moves a {@link Rollout} in memory and returns the {@link Step} (transitions to record,
 * desired-twin writes to make); the caller persists both in one go. Nothing waits forever: every non-terminal
 * device state has a timeout and a next state ({@link #TIMEOUTS}), evaluated by {@link #tick}; a running
 * rollout moves as long as its devices do, and a paused one waits for its operator by design. Not thread-safe:
 * callers serialize calls per rollout.
 */
public final class RolloutMachine {

    /**
     * How long a device may stay in each non-terminal state and where it goes next. {@code PENDING} moves as soon
     * as its wave runs (and the rollout is not paused); {@code INSTALLED} goes to {@code HEALTHY} after the health
     * window only if the {@link HealthGate} agrees, else to {@code FAILED}.
     */
    public static final Map<DeviceState, Timeout> TIMEOUTS = timeouts();

    /** A state's timeout, computed from the rollout's settings, and the state it leads to. */
    public record Timeout(Function<RolloutSpec, Duration> after, DeviceState next) {}

    private final Clock clock;
    private final HealthGate health;
    private final Instant watchingSince;

    /**
     * Build it when the gateway starts: the health gate judges only time from then on.
     *
     * @param clock the time of every transition and timeout
     * @param health the verdict on a device after its health window
     */
    public RolloutMachine(Clock clock, HealthGate health) {
        this.clock = clock;
        this.health = health;
        this.watchingSince = clock.instant();
    }

    private static Map<DeviceState, Timeout> timeouts() {
        Map<DeviceState, Timeout> table = new EnumMap<>(DeviceState.class);
        table.put(DeviceState.PENDING, new Timeout(spec -> Duration.ZERO, DeviceState.NOTIFIED));
        for (DeviceState inFlight :
                List.of(DeviceState.NOTIFIED, DeviceState.DOWNLOADING, DeviceState.DOWNLOADED, DeviceState.UPDATING)) {
            table.put(inFlight, new Timeout(RolloutSpec::deviceTimeout, DeviceState.TIMED_OUT));
        }
        table.put(DeviceState.INSTALLED, new Timeout(RolloutSpec::healthWindow, DeviceState.HEALTHY));
        return Map.copyOf(table);
    }

    /** Starts a new rollout: its first wave runs and its devices are notified. */
    public Step start(Rollout rollout) {
        Step step = new Step();
        advance(rollout, step, now());
        return step;
    }

    /** Applies timeouts and health gates, ends waves, starts the next one. Called by the scheduler tick. */
    public Step tick(Rollout rollout) {
        Step step = new Step();
        Instant now = now();
        if (rollout.state == RolloutState.SUCCEEDED) {
            // Adopted devices time out and are judged on their own; the settled rollout never reopens or aborts.
            for (DeviceRollout device : rollout.adopted) {
                expire(rollout, device, step, now);
            }
            return step;
        }
        if (rollout.state.terminal()) {
            return step;
        }
        for (Wave wave : rollout.waves) {
            // A succeeded wave still watches devices that came back after their timeout (issue 18 item 2).
            if (wave.state != WaveState.RUNNING && wave.state != WaveState.SUCCEEDED) {
                continue;
            }
            for (DeviceRollout device : wave.devices) {
                expire(rollout, device, step, now);
            }
        }
        advance(rollout, step, now);
        return step;
    }

    /**
     * Dynamic membership (issue 18 item 2): a device that matches the selector but joined after the rollout was
     * planned goes into the last percentage wave: notified at once when that wave runs, with the wave when it is
     * still pending. Rollouts of explicit device lists only, settled rollouts and members are left alone.
     */
    public Step join(Rollout rollout, String deviceId) {
        Step step = new Step();
        if (rollout.state.terminal() || rollout.device(deviceId).isPresent()) {
            return step;
        }
        Wave target = lastPercentWave(rollout);
        if (target == null || (target.state != WaveState.PENDING && target.state != WaveState.RUNNING)) {
            return step;
        }
        Instant now = now();
        DeviceRollout device = new DeviceRollout(deviceId, target.index, now);
        target.devices.add(device);
        enrol(rollout, device, "joined wave " + target.name + ": matches the selector", step, now);
        if (target.state == WaveState.RUNNING && rollout.state == RolloutState.RUNNING) {
            notify(rollout, device, step, now);
        }
        return step;
    }

    /**
     * Late membership of a settled rollout (issue 18 item 2, docs/ota.md "Dynamic membership"): a succeeded selector
     * rollout adopts a matching device registered or labelled after it settled. The device is notified at once
     * (the same desired-state path as a wave) and then moves, times out and is judged by the health gate on its own:
     * its failures are recorded but never reopen or abort the rollout, and it counts in no wave. A device that
     * already runs the version is recorded {@code healthy} (its desired twin is set all the same, so that a later
     * rollback restores this version). Aborted and running rollouts, explicit-only rollouts and members are left
     * alone; which succeeded rollout adopts a device (the newest that targets it) is the caller's choice.
     *
     * @param runningVersion the firmware version the device reports it runs, null when it reported none
     */
    public Step adopt(Rollout rollout, String deviceId, String runningVersion) {
        Step step = new Step();
        Wave follows = lastPercentWave(rollout);
        if (rollout.state != RolloutState.SUCCEEDED
                || follows == null
                || rollout.device(deviceId).isPresent()) {
            return step;
        }
        Instant now = now();
        DeviceRollout device = new DeviceRollout(deviceId, follows.index, now);
        device.adoptedAt = now;
        rollout.adopted.add(device);
        enrol(rollout, device, "adopted after the rollout succeeded: matches the selector", step, now);
        if (rollout.spec.version().equals(runningVersion)) {
            device.notifiedAt = now;
            device.installedAt = now;
            device.result = FirmwareReport.RESULT_SUCCESS;
            move(rollout, device, DeviceState.HEALTHY, "already runs version " + runningVersion, step, now);
            step.add(new Effect(Effect.Kind.NOTIFY, deviceId, null));
        } else {
            notify(rollout, device, step, now);
        }
        return step;
    }

    /**
     * A newer rollout took an adopted device that still moves (docs/ota.md): it is {@code cancelled} here, since its
     * desired twin and its reports now belong to the newer rollout. Wave members and settled devices are left alone.
     */
    public Step supersede(Rollout rollout, String deviceId, String newerRollout) {
        Step step = new Step();
        DeviceRollout device = rollout.device(deviceId).orElse(null);
        if (device == null
                || device.adoptedAt == null
                || (device.state.settled() && device.state != DeviceState.TIMED_OUT)) {
            return step;
        }
        move(rollout, device, DeviceState.CANCELLED, "superseded by rollout " + newerRollout, step, now());
        return step;
    }

    /** Applies a device's reported firmware object; reports about other rollouts or settled devices are ignored. */
    public Step report(Rollout rollout, String deviceId, FirmwareReport report) {
        Step step = new Step();
        Instant now = now();
        DeviceRollout device = rollout.device(deviceId).orElse(null);
        // A timed-out device that comes back and reports on this rollout is picked up again (issue 18 item 2):
        // its desired twin still names the new firmware.
        boolean back = device != null && device.state == DeviceState.TIMED_OUT;
        if (device == null
                || !listening(rollout, device)
                || !rollout.id.equals(report.rollout())
                || !device.state.touched()
                || (device.state.settled() && !back)) {
            return step;
        }
        if (report.failed()) {
            device.result = report.result();
            move(rollout, device, DeviceState.FAILED, failureText(report), step, now);
        } else if (report.result() == FirmwareReport.RESULT_SUCCESS
                && rollout.spec.version().equals(report.version())) {
            device.result = report.result();
            if (device.state != DeviceState.INSTALLED) {
                device.installedAt = now;
                move(rollout, device, DeviceState.INSTALLED, "device reports version " + report.version(), step, now);
            }
        } else {
            DeviceState reported = reportedState(report.state());
            if (reported != null && (back || reported.ordinal() > device.state.ordinal())) {
                move(
                        rollout,
                        device,
                        reported,
                        (back ? "back after its timeout: " : "") + "device reports " + report.state(),
                        step,
                        now);
            }
        }
        advance(rollout, step, now);
        return step;
    }

    /** Operator pause: no device is notified and no wave starts until {@link #resume}. */
    public Step pause(Rollout rollout, String reason) {
        requireState(rollout, RolloutState.RUNNING, "pause");
        Step step = new Step();
        moveRollout(rollout, RolloutState.PAUSED, reason, step, now());
        return step;
    }

    public Step resume(Rollout rollout) {
        requireState(rollout, RolloutState.PAUSED, "resume");
        Step step = new Step();
        Instant now = now();
        moveRollout(rollout, RolloutState.RUNNING, "resumed by operator", step, now);
        advance(rollout, step, now);
        return step;
    }

    /** Aborts and rolls every device this rollout touched back to its previous firmware. */
    public Step abort(Rollout rollout, String reason) {
        if (rollout.state.terminal()) {
            throw new GatewayException(
                    ErrorKind.CONFLICT, "Rollout " + rollout.id + " is already " + lower(rollout.state));
        }
        Step step = new Step();
        abort(rollout, reason, step, now());
        return step;
    }

    /**
     * Puts the failed and timed-out devices of started waves back to pending, so that they are notified again; on a
     * succeeded rollout, its failed and timed-out adopted devices (notified again at once).
     */
    public Step retryFailed(Rollout rollout) {
        boolean adoptedOnly = rollout.state == RolloutState.SUCCEEDED
                && rollout.adopted.stream().anyMatch(d -> d.state.failure());
        if (rollout.state.terminal() && !adoptedOnly) {
            throw new GatewayException(
                    ErrorKind.CONFLICT, "Rollout " + rollout.id + " is already " + lower(rollout.state));
        }
        Step step = new Step();
        Instant now = now();
        for (Wave wave : rollout.waves) {
            for (DeviceRollout device : wave.devices) {
                if (device.state.failure() && wave.state == WaveState.RUNNING) {
                    retry(rollout, device, step, now);
                }
            }
        }
        for (DeviceRollout device : adoptedOnly ? rollout.adopted : List.<DeviceRollout>of()) {
            if (device.state.failure()) {
                retry(rollout, device, step, now);
            }
        }
        advance(rollout, step, now);
        return step;
    }

    private void retry(Rollout rollout, DeviceRollout device, Step step, Instant now) {
        device.result = FirmwareReport.RESULT_INITIAL;
        move(rollout, device, DeviceState.PENDING, "retried by operator", step, now);
        if (rollout.state != RolloutState.PAUSED) {
            notify(rollout, device, step, now);
        }
    }

    private void expire(Rollout rollout, DeviceRollout device, Step step, Instant now) {
        Timeout timeout = TIMEOUTS.get(device.state);
        if (timeout == null || now.isBefore(device.since.plus(timeout.after().apply(rollout.spec)))) {
            return;
        }
        switch (device.state) {
            case PENDING -> {
                if (rollout.state == RolloutState.RUNNING) {
                    notify(rollout, device, step, now);
                }
            }
            case INSTALLED -> {
                // A health window cut by a gateway restart starts over at the restart: readings a device could not
                // deliver while its gateway was down are no regression of its firmware (issue 18.3, kill -9 test).
                Instant watchedFrom = device.installedAt.isBefore(watchingSince) ? watchingSince : device.installedAt;
                if (now.isBefore(watchedFrom.plus(rollout.spec.healthWindow()))) {
                    return;
                }
                var sick = health.unhealthy(device.deviceId, device.notifiedAt, watchedFrom, now);
                if (sick.isPresent()) {
                    move(rollout, device, DeviceState.FAILED, "health gate: " + sick.get(), step, now);
                } else {
                    move(rollout, device, DeviceState.HEALTHY, "healthy for " + rollout.spec.healthWindow(), step, now);
                }
            }
            default ->
                move(
                        rollout,
                        device,
                        DeviceState.TIMED_OUT,
                        "no progress within " + rollout.spec.deviceTimeout() + " in state " + lower(device.state),
                        step,
                        now);
        }
    }

    /** A moving rollout hears all its devices; a succeeded one only those it adopted (docs/ota.md). */
    private static boolean listening(Rollout rollout, DeviceRollout device) {
        return !rollout.state.terminal() || (rollout.state == RolloutState.SUCCEEDED && device.adoptedAt != null);
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

    private void enrol(Rollout rollout, DeviceRollout device, String reason, Step step, Instant now) {
        step.add(
                new Transition(rollout.id, "device", device.deviceId, "none", lower(DeviceState.PENDING), reason, now));
        rollout.updatedAt = now;
    }

    private void notify(Rollout rollout, DeviceRollout device, Step step, Instant now) {
        device.notifiedAt = now;
        device.error = null;
        move(rollout, device, DeviceState.NOTIFIED, "desired firmware " + rollout.spec.version(), step, now);
        step.add(new Effect(Effect.Kind.NOTIFY, device.deviceId, null));
    }

    /** Checks the running wave's thresholds, ends it, and starts the next wave while the rollout runs. */
    private void advance(Rollout rollout, Step step, Instant now) {
        while (!rollout.state.terminal()) {
            Wave running = rollout.waves.stream()
                    .filter(w -> w.state == WaveState.RUNNING)
                    .findFirst()
                    .orElse(null);
            if (running != null) {
                if (!judge(rollout, running, step, now)) {
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
                moveRollout(rollout, RolloutState.SUCCEEDED, "every wave succeeded", step, now);
                return;
            }
            next.startedAt = now;
            moveWave(rollout, next, WaveState.RUNNING, "started", step, now);
            for (DeviceRollout device : next.devices) {
                if (device.state == DeviceState.PENDING) {
                    notify(rollout, device, step, now);
                }
            }
        }
    }

    /** @return true when the wave ended (succeeded, or failed and aborted the rollout) */
    private boolean judge(Rollout rollout, Wave wave, Step step, Instant now) {
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
            abort(rollout, why, step, now);
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
            abort(rollout, why, step, now);
            return true;
        }
        wave.endedAt = now;
        moveWave(rollout, wave, WaveState.SUCCEEDED, healthy + " of " + size + " devices healthy", step, now);
        boolean last = wave.index == rollout.waves.size() - 1;
        if (!last && spec.pauseAfterWave() && rollout.state == RolloutState.RUNNING) {
            moveRollout(
                    rollout,
                    RolloutState.PAUSED,
                    "wave " + wave.name + " succeeded; onWaveSuccess is pause",
                    step,
                    now);
        }
        return true;
    }

    private void abort(Rollout rollout, String reason, Step step, Instant now) {
        for (Wave wave : rollout.waves) {
            for (DeviceRollout device : wave.devices) {
                if (device.state.touched()) {
                    move(rollout, device, DeviceState.ROLLED_BACK, "rollout aborted", step, now);
                    step.add(new Effect(Effect.Kind.ROLLBACK, device.deviceId, device.previousFirmware));
                } else if (device.state == DeviceState.PENDING) {
                    move(rollout, device, DeviceState.CANCELLED, "rollout aborted", step, now);
                }
            }
            if (wave.state == WaveState.RUNNING) {
                wave.endedAt = now;
                moveWave(rollout, wave, WaveState.FAILED, reason, step, now);
            } else if (wave.state == WaveState.PENDING) {
                moveWave(rollout, wave, WaveState.CANCELLED, "rollout aborted", step, now);
            }
        }
        moveRollout(rollout, RolloutState.ABORTED, reason, step, now);
    }

    private void move(Rollout rollout, DeviceRollout device, DeviceState to, String reason, Step step, Instant now) {
        step.add(new Transition(rollout.id, "device", device.deviceId, lower(device.state), lower(to), reason, now));
        if (to == DeviceState.FAILED || to == DeviceState.TIMED_OUT) {
            // The last error stays on the device row for the rollout view (issue 18 item 4).
            device.error = reason;
        }
        device.state = to;
        device.since = now;
        device.dirty = true;
        rollout.updatedAt = now;
    }

    private void moveWave(Rollout rollout, Wave wave, WaveState to, String reason, Step step, Instant now) {
        step.add(new Transition(rollout.id, "wave", wave.name, lower(wave.state), lower(to), reason, now));
        wave.state = to;
        wave.reason = reason;
        rollout.updatedAt = now;
    }

    private void moveRollout(Rollout rollout, RolloutState to, String reason, Step step, Instant now) {
        step.add(new Transition(rollout.id, "rollout", rollout.id, lower(rollout.state), lower(to), reason, now));
        rollout.state = to;
        rollout.reason = reason;
        rollout.updatedAt = now;
    }

    private static void requireState(Rollout rollout, RolloutState expected, String action) {
        if (rollout.state != expected) {
            throw new GatewayException(
                    ErrorKind.CONFLICT,
                    "Cannot " + action + " rollout " + rollout.id + ": it is " + lower(rollout.state));
        }
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

    private Instant now() {
        return clock.instant();
    }

    static String lower(Enum<?> state) {
        return state.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
