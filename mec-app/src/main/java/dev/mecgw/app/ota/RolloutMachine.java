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
 * callers serialize calls per rollout. Its parts, package-private, each do one job: {@link DeviceReports},
 * {@link DeviceTimeouts}, {@link WavePlan}, {@link WaveVerdict}, {@link Rollback}, {@link LateMembers}, and
 * {@link Moves}, through which every state changes.
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
    private final DeviceTimeouts timeouts;

    /**
     * Build it when the gateway starts: the health gate judges only time from then on.
     *
     * @param clock the time of every transition and timeout
     * @param health the verdict on a device after its health window
     */
    public RolloutMachine(Clock clock, HealthGate health) {
        this.clock = clock;
        this.timeouts = new DeviceTimeouts(health, clock.instant());
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
        WavePlan.advance(rollout, step, now());
        return step;
    }

    /** Applies timeouts and health gates, ends waves, starts the next one. Called by the scheduler tick. */
    public Step tick(Rollout rollout) {
        Step step = new Step();
        Instant now = now();
        if (rollout.state == RolloutState.SUCCEEDED) {
            // Adopted devices time out and are judged on their own; the settled rollout never reopens or aborts.
            for (DeviceRollout device : rollout.adopted) {
                timeouts.expire(rollout, device, step, now);
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
                timeouts.expire(rollout, device, step, now);
            }
        }
        WavePlan.advance(rollout, step, now);
        return step;
    }

    /**
     * Dynamic membership (issue 18 item 2): a device that matches the selector but joined after the rollout was
     * planned goes into the last percentage wave: notified at once when that wave runs, with the wave when it is
     * still pending. Rollouts of explicit device lists only, settled rollouts and members are left alone.
     */
    public Step join(Rollout rollout, String deviceId) {
        Step step = new Step();
        LateMembers.join(rollout, deviceId, step, now());
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
        LateMembers.adopt(rollout, deviceId, runningVersion, step, now());
        return step;
    }

    /**
     * A newer rollout took an adopted device that still moves (docs/ota.md): it is {@code cancelled} here, since its
     * desired twin and its reports now belong to the newer rollout. Wave members and settled devices are left alone.
     */
    public Step supersede(Rollout rollout, String deviceId, String newerRollout) {
        Step step = new Step();
        LateMembers.supersede(rollout, deviceId, newerRollout, step, now());
        return step;
    }

    /**
     * Applies a device's reported firmware object; reports about other rollouts or settled devices are ignored. A
     * timed-out device comes back only on a report sent after its timeout: one whose {@link
     * FirmwareReport#reportedVersion} is above that of the last report given before it timed out (docs/ota.md).
     */
    public Step report(Rollout rollout, String deviceId, FirmwareReport report) {
        Step step = new Step();
        Instant now = now();
        if (DeviceReports.apply(rollout, deviceId, report, step, now)) {
            WavePlan.advance(rollout, step, now);
        }
        return step;
    }

    /** Operator pause: no device is notified and no wave starts until {@link #resume}. */
    public Step pause(Rollout rollout, String reason) {
        requireState(rollout, RolloutState.RUNNING, "pause");
        Step step = new Step();
        Moves.moveRollout(rollout, RolloutState.PAUSED, reason, step, now());
        return step;
    }

    public Step resume(Rollout rollout) {
        requireState(rollout, RolloutState.PAUSED, "resume");
        Step step = new Step();
        Instant now = now();
        Moves.moveRollout(rollout, RolloutState.RUNNING, "resumed by operator", step, now);
        WavePlan.advance(rollout, step, now);
        return step;
    }

    /** Aborts and rolls every device this rollout touched back to its previous firmware. */
    public Step abort(Rollout rollout, String reason) {
        if (rollout.state.terminal()) {
            throw new GatewayException(
                    ErrorKind.CONFLICT, "Rollout " + rollout.id + " is already " + lower(rollout.state));
        }
        Step step = new Step();
        Rollback.abort(rollout, reason, step, now());
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
        WavePlan.advance(rollout, step, now);
        return step;
    }

    private static void retry(Rollout rollout, DeviceRollout device, Step step, Instant now) {
        device.result = FirmwareReport.RESULT_INITIAL;
        Moves.move(rollout, device, DeviceState.PENDING, "retried by operator", step, now);
        if (rollout.state != RolloutState.PAUSED) {
            Moves.notify(rollout, device, step, now);
        }
    }

    private static void requireState(Rollout rollout, RolloutState expected, String action) {
        if (rollout.state != expected) {
            throw new GatewayException(
                    ErrorKind.CONFLICT,
                    "Cannot " + action + " rollout " + rollout.id + ": it is " + lower(rollout.state));
        }
    }

    private Instant now() {
        return clock.instant();
    }

    /** A state as the API, the events and the store spell it: lower case, dashes ({@code timed-out}). */
    static String lower(Enum<?> state) {
        return state.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
