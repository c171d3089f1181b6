package dev.mecgw.app.ota;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mecgw.app.problem.ErrorKind;
import dev.mecgw.app.problem.GatewayException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiFunction;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class RolloutMachineTest {

    private static final Duration HEALTH_WINDOW = Duration.ofMinutes(5);
    private static final Duration DEVICE_TIMEOUT = Duration.ofMinutes(30);
    private static final String SUBJECT = "dev-0";

    private final ManualClock clock = new ManualClock(Instant.parse("2026-12-05T10:00:00Z"));
    private Optional<String> healthVerdict = Optional.empty();
    private final RolloutMachine machine =
            new RolloutMachine(clock, (device, started, installed, now) -> healthVerdict);
    /** The device twin's reported version: every report a test sends is a new one. */
    private long reportedVersion;

    /** One row of the device transition table: given state, what happens, expected state. */
    record DeviceCase(
            String name,
            DeviceState given,
            BiFunction<RolloutMachineTest, Rollout, Step> when,
            DeviceState expected,
            Effect.Kind effect) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Arguments> deviceTransitions() {
        List<DeviceCase> table = new ArrayList<>();
        table.add(new DeviceCase(
                "pending is notified on tick", DeviceState.PENDING, tick(0), DeviceState.NOTIFIED, Effect.Kind.NOTIFY));
        table.add(new DeviceCase(
                "pending stays while paused", DeviceState.PENDING, pausedTick(), DeviceState.PENDING, null));
        table.add(new DeviceCase(
                "notified reports downloading",
                DeviceState.NOTIFIED,
                report("downloading", 0),
                DeviceState.DOWNLOADING,
                null));
        table.add(new DeviceCase(
                "downloading reports downloaded",
                DeviceState.DOWNLOADING,
                report("downloaded", 0),
                DeviceState.DOWNLOADED,
                null));
        table.add(new DeviceCase(
                "downloaded reports updating",
                DeviceState.DOWNLOADED,
                report("updating", 0),
                DeviceState.UPDATING,
                null));
        table.add(new DeviceCase(
                "updating reports success", DeviceState.UPDATING, success(), DeviceState.INSTALLED, null));
        table.add(new DeviceCase(
                "notified jumps to installed", DeviceState.NOTIFIED, success(), DeviceState.INSTALLED, null));
        table.add(new DeviceCase(
                "no step back on an old report",
                DeviceState.DOWNLOADED,
                report("downloading", 0),
                DeviceState.DOWNLOADED,
                null));
        table.add(new DeviceCase(
                "success of another version is no install",
                DeviceState.UPDATING,
                (t, r) -> t.machine.report(r, SUBJECT, t.sent("1.0", "idle", 1, r.id(), null)),
                DeviceState.UPDATING,
                null));
        table.add(new DeviceCase(
                "report of another rollout is ignored",
                DeviceState.NOTIFIED,
                (t, r) -> t.machine.report(r, SUBJECT, t.sent("2.0", "idle", 5, "other", null)),
                DeviceState.NOTIFIED,
                null));
        for (DeviceState inFlight :
                List.of(DeviceState.NOTIFIED, DeviceState.DOWNLOADING, DeviceState.DOWNLOADED, DeviceState.UPDATING)) {
            table.add(new DeviceCase(
                    inFlight + " reports result 5", inFlight, report("idle", 5), DeviceState.FAILED, null));
            table.add(new DeviceCase(
                    inFlight + " times out", inFlight, tick(DEVICE_TIMEOUT.toMinutes()), DeviceState.TIMED_OUT, null));
            table.add(new DeviceCase(
                    inFlight + " waits before its timeout",
                    inFlight,
                    tick(DEVICE_TIMEOUT.toMinutes() - 1),
                    inFlight,
                    null));
        }
        table.add(new DeviceCase(
                "installed and healthy after the window",
                DeviceState.INSTALLED,
                tick(HEALTH_WINDOW.toMinutes()),
                DeviceState.HEALTHY,
                null));
        table.add(new DeviceCase(
                "installed watched during the window",
                DeviceState.INSTALLED,
                tick(HEALTH_WINDOW.toMinutes() - 1),
                DeviceState.INSTALLED,
                null));
        table.add(new DeviceCase(
                "installed but unhealthy fails",
                DeviceState.INSTALLED,
                unhealthyAfterTheWindow(),
                DeviceState.FAILED,
                null));
        table.add(new DeviceCase(
                "failed is retried",
                DeviceState.FAILED,
                (t, r) -> t.machine.retryFailed(r),
                DeviceState.NOTIFIED,
                Effect.Kind.NOTIFY));
        table.add(new DeviceCase(
                "timed out is retried",
                DeviceState.TIMED_OUT,
                (t, r) -> t.machine.retryFailed(r),
                DeviceState.NOTIFIED,
                Effect.Kind.NOTIFY));
        table.add(new DeviceCase("healthy stays healthy", DeviceState.HEALTHY, tick(600), DeviceState.HEALTHY, null));
        // Offline devices are picked up when they return (issue 18 item 2); a timeout is its own failure type.
        table.add(new DeviceCase(
                "timed out comes back downloading",
                DeviceState.TIMED_OUT,
                report("downloading", 0),
                DeviceState.DOWNLOADING,
                null));
        table.add(new DeviceCase(
                "timed out comes back installed", DeviceState.TIMED_OUT, success(), DeviceState.INSTALLED, null));
        table.add(new DeviceCase(
                "timed out comes back failing", DeviceState.TIMED_OUT, report("idle", 5), DeviceState.FAILED, null));
        table.add(new DeviceCase(
                "timed out stays timed out while silent",
                DeviceState.TIMED_OUT,
                tick(600),
                DeviceState.TIMED_OUT,
                null));
        table.add(new DeviceCase(
                "failed reports are ignored once settled",
                DeviceState.HEALTHY,
                report("idle", 8),
                DeviceState.HEALTHY,
                null));
        table.add(new DeviceCase(
                "abort rolls an updated device back",
                DeviceState.INSTALLED,
                (t, r) -> t.machine.abort(r, "operator"),
                DeviceState.ROLLED_BACK,
                Effect.Kind.ROLLBACK));
        table.add(new DeviceCase(
                "abort rolls a failed device back",
                DeviceState.FAILED,
                (t, r) -> t.machine.abort(r, "operator"),
                DeviceState.ROLLED_BACK,
                Effect.Kind.ROLLBACK));
        table.add(new DeviceCase(
                "abort cancels a pending device",
                DeviceState.PENDING,
                (t, r) -> t.machine.abort(r, "operator"),
                DeviceState.CANCELLED,
                null));
        return table.stream().map(Arguments::of);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("deviceTransitions")
    void shouldMoveDeviceAsTheTableSays(DeviceCase row) {
        // Given a running wave of ten devices (too few failures to cross the threshold), the subject in its state
        Rollout rollout = givenARunningWave(10);
        DeviceRollout subject = rollout.device(SUBJECT).orElseThrow();
        subject.state = row.given();
        subject.since = clock.instant();
        subject.notifiedAt = clock.instant();
        subject.installedAt = clock.instant();

        // When
        Step step = row.when().apply(this, rollout);

        // Then
        assertThat(subject.state()).isEqualTo(row.expected());
        List<Effect> effects = step.effects().stream()
                .filter(e -> e.deviceId().equals(SUBJECT))
                .toList();
        if (row.effect() == null) {
            assertThat(effects).isEmpty();
        } else {
            assertThat(effects).extracting(Effect::kind).containsExactly(row.effect());
        }
        if (row.given() != row.expected()) {
            assertThat(step.transitions())
                    .anySatisfy(t -> assertThat(t.subject()).isEqualTo(SUBJECT));
        }
    }

    /** Devices a succeeded rollout adopted (docs/ota.md "Dynamic membership"): they move on their own. */
    static Stream<Arguments> adoptedTransitions() {
        List<DeviceCase> table = new ArrayList<>();
        table.add(new DeviceCase(
                "adopted notified reports downloading",
                DeviceState.NOTIFIED,
                report("downloading", 0),
                DeviceState.DOWNLOADING,
                null));
        table.add(new DeviceCase(
                "adopted updating reports success", DeviceState.UPDATING, success(), DeviceState.INSTALLED, null));
        table.add(new DeviceCase(
                "adopted notified reports result 5",
                DeviceState.NOTIFIED,
                report("idle", 5),
                DeviceState.FAILED,
                null));
        table.add(new DeviceCase(
                "adopted notified times out",
                DeviceState.NOTIFIED,
                tick(DEVICE_TIMEOUT.toMinutes()),
                DeviceState.TIMED_OUT,
                null));
        table.add(new DeviceCase(
                "adopted downloading waits before its timeout",
                DeviceState.DOWNLOADING,
                tick(DEVICE_TIMEOUT.toMinutes() - 1),
                DeviceState.DOWNLOADING,
                null));
        table.add(new DeviceCase(
                "adopted installed and healthy after the window",
                DeviceState.INSTALLED,
                tick(HEALTH_WINDOW.toMinutes()),
                DeviceState.HEALTHY,
                null));
        table.add(new DeviceCase(
                "adopted installed but unhealthy fails",
                DeviceState.INSTALLED,
                unhealthyAfterTheWindow(),
                DeviceState.FAILED,
                null));
        table.add(new DeviceCase(
                "adopted timed out comes back installed",
                DeviceState.TIMED_OUT,
                success(),
                DeviceState.INSTALLED,
                null));
        table.add(new DeviceCase(
                "adopted failed is retried",
                DeviceState.FAILED,
                (t, r) -> t.machine.retryFailed(r),
                DeviceState.NOTIFIED,
                Effect.Kind.NOTIFY));
        table.add(new DeviceCase(
                "adopted downloading is superseded by a newer rollout",
                DeviceState.DOWNLOADING,
                (t, r) -> t.machine.supersede(r, SUBJECT, "r-newer"),
                DeviceState.CANCELLED,
                null));
        table.add(new DeviceCase(
                "adopted timed out is superseded by a newer rollout",
                DeviceState.TIMED_OUT,
                (t, r) -> t.machine.supersede(r, SUBJECT, "r-newer"),
                DeviceState.CANCELLED,
                null));
        table.add(new DeviceCase(
                "adopted healthy stays when superseded",
                DeviceState.HEALTHY,
                (t, r) -> t.machine.supersede(r, SUBJECT, "r-newer"),
                DeviceState.HEALTHY,
                null));
        table.add(new DeviceCase(
                "adopted healthy ignores a failure report",
                DeviceState.HEALTHY,
                report("idle", 8),
                DeviceState.HEALTHY,
                null));
        table.add(new DeviceCase(
                "adopted healthy stays healthy", DeviceState.HEALTHY, tick(600), DeviceState.HEALTHY, null));
        return table.stream().map(Arguments::of);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("adoptedTransitions")
    void shouldMoveAnAdoptedDeviceAsTheTableSaysWithoutReopeningTheRollout(DeviceCase row) {
        // Given a succeeded rollout that adopted the subject, in its state
        Rollout rollout = givenASucceededRollout();
        machine.adopt(rollout, SUBJECT, "1.0");
        DeviceRollout subject = rollout.device(SUBJECT).orElseThrow();
        subject.state = row.given();
        subject.since = clock.instant();
        subject.installedAt = clock.instant();
        List<WaveState> waves = rollout.waves().stream().map(Wave::state).toList();

        // When
        Step step = row.when().apply(this, rollout);

        // Then the subject moved as the row says, and the rollout and its waves stayed as they were
        assertThat(subject.state()).isEqualTo(row.expected());
        assertThat(step.effects().stream().map(Effect::kind).toList())
                .isEqualTo(row.effect() == null ? List.of() : List.of(row.effect()));
        if (row.given() != row.expected()) {
            assertThat(step.transitions())
                    .isNotEmpty()
                    .allSatisfy(t -> assertThat(t.subject()).isEqualTo(SUBJECT));
        }
        assertThat(rollout.state()).isEqualTo(RolloutState.SUCCEEDED);
        assertThat(rollout.waves().stream().map(Wave::state).toList()).isEqualTo(waves);
    }

    @Test
    void shouldAdoptAndNotifyADeviceThatMatchesAfterTheRolloutSucceeded() {
        // Given a succeeded rollout
        Rollout rollout = givenASucceededRollout();
        int members = rollout.waves().get(1).devices().size();

        // When a device registered later, on 1.0, is adopted
        Step step = machine.adopt(rollout, "late-1", "1.0");

        // Then it is notified at once, listed apart from the waves, and adopting it again changes nothing
        DeviceRollout late = rollout.device("late-1").orElseThrow();
        assertThat(late.state()).isEqualTo(DeviceState.NOTIFIED);
        assertThat(late.adoptedAt()).isEqualTo(clock.instant());
        assertThat(rollout.adopted()).containsExactly(late);
        assertThat(rollout.waves().get(1).devices()).hasSize(members);
        assertThat(step.effects())
                .extracting(Effect::kind, Effect::deviceId)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(Effect.Kind.NOTIFY, "late-1"));
        assertThat(step.transitions())
                .extracting(Transition::from, Transition::to)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("none", "pending"),
                        org.assertj.core.groups.Tuple.tuple("pending", "notified"));
        assertThat(machine.adopt(rollout, "late-1", "1.0").changed()).isFalse();
        assertThat(rollout.activeDevices()).containsExactly(late);
    }

    @Test
    void shouldRecordADeviceThatAlreadyRunsTheVersionAsHealthyWhenAdopted() {
        Rollout rollout = givenASucceededRollout();

        Step step = machine.adopt(rollout, "late-2", "2.0");

        DeviceRollout late = rollout.device("late-2").orElseThrow();
        assertThat(late.state()).isEqualTo(DeviceState.HEALTHY);
        assertThat(late.result()).isEqualTo(FirmwareReport.RESULT_SUCCESS);
        assertThat(step.transitions())
                .last()
                .satisfies(t -> assertThat(t.reason()).isEqualTo("already runs version 2.0"));
        // Its desired twin names the version all the same, so that a later rollback restores it.
        assertThat(step.effects()).extracting(Effect::kind).containsExactly(Effect.Kind.NOTIFY);
        assertThat(rollout.activeDevices()).isEmpty();
    }

    @Test
    void shouldKeepTheRolloutSucceededWhenEveryAdoptedDeviceFails() {
        // Given a succeeded rollout (error threshold 5 % from one device) that adopted three devices
        Rollout rollout = givenASucceededRollout();
        List.of("late-1", "late-2", "late-3").forEach(d -> machine.adopt(rollout, d, "1.0"));

        // When all three fail or time out
        Step step = new Step();
        step.addAll(machine.report(rollout, "late-1", sent("1.0", "idle", 5, rollout.id(), "bad")));
        step.addAll(machine.report(rollout, "late-2", sent("1.0", "idle", 8, rollout.id(), null)));
        clock.advance(DEVICE_TIMEOUT);
        step.addAll(machine.tick(rollout));

        // Then each failure is a transition of its own, nothing is rolled back and the rollout stays succeeded
        assertThat(step.transitions())
                .extracting(Transition::subject, Transition::to)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("late-1", "failed"),
                        org.assertj.core.groups.Tuple.tuple("late-2", "failed"),
                        org.assertj.core.groups.Tuple.tuple("late-3", "timed-out"));
        assertThat(step.effects()).isEmpty();
        assertThat(rollout.state()).isEqualTo(RolloutState.SUCCEEDED);
        assertThat(rollout.device("late-1").orElseThrow().error()).contains("bad");
    }

    @Test
    void shouldAdoptNothingIntoRunningAbortedOrExplicitOnlyRollouts() {
        Rollout running = givenACanaryAndMain(false);
        machine.start(running);
        assertThat(machine.adopt(running, "late-1", null).changed()).isFalse();

        machine.abort(running, "operator");
        assertThat(machine.adopt(running, "late-1", null).changed()).isFalse();

        RolloutSpec explicitOnly = spec(List.of(new RolloutSpec.WaveSpec("canary", List.of("c-0"), 0)), 5, 1, false);
        Rollout closed = new Rollout("r-3", explicitOnly, clock.instant());
        Wave canary = new Wave(0, "canary");
        canary.devices.add(new DeviceRollout("c-0", 0, clock.instant()));
        closed.waves.add(canary);
        machine.start(closed);
        machine.report(closed, "c-0", sent("2.0", "idle", 1, closed.id(), null));
        clock.advance(HEALTH_WINDOW);
        machine.tick(closed);
        assertThat(closed.state()).isEqualTo(RolloutState.SUCCEEDED);
        assertThat(machine.adopt(closed, "late-1", null).changed()).isFalse();
        assertThat(running.adopted()).isEmpty();
        assertThat(closed.adopted()).isEmpty();
    }

    @Test
    void shouldRefuseRetryOnASucceededRolloutWithoutFailedAdoptedDevices() {
        Rollout rollout = givenASucceededRollout();
        machine.adopt(rollout, "late-1", "2.0");

        assertThatThrownBy(() -> machine.retryFailed(rollout))
                .isInstanceOfSatisfying(
                        GatewayException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.CONFLICT));
    }

    @Test
    void shouldWatchAFullHealthWindowFromTheRestartWhenTheGatewayRestartedDuringIt() {
        // Given a device installed a minute before the gateway went down, and a machine built at the restart
        Rollout rollout = givenARunningWave(10);
        DeviceRollout subject = rollout.device(SUBJECT).orElseThrow();
        subject.state = DeviceState.INSTALLED;
        subject.notifiedAt = clock.instant();
        subject.installedAt = clock.instant();
        subject.since = clock.instant();
        clock.advance(Duration.ofMinutes(10));
        Instant restart = clock.instant();
        List<Instant> judgedFrom = new ArrayList<>();
        RolloutMachine restarted = new RolloutMachine(clock, (device, started, installed, now) -> {
            judgedFrom.add(installed);
            return Optional.empty();
        });

        // When the first ticks after the restart come, then the device is not judged before a whole window
        restarted.tick(rollout);
        clock.advance(HEALTH_WINDOW.minusSeconds(1));
        restarted.tick(rollout);
        assertThat(subject.state()).isEqualTo(DeviceState.INSTALLED);
        clock.advance(Duration.ofSeconds(1));
        restarted.tick(rollout);

        // Then it is judged on what the restarted gateway watched
        assertThat(subject.state()).isEqualTo(DeviceState.HEALTHY);
        assertThat(judgedFrom).containsExactly(restart);
    }

    @Test
    void shouldKeepAWaveMemberTimedOutOverManyTicksWhileItsTwinHoldsOnlyItsReportFromBefore() {
        // Given a running wave whose subject reported downloading and then went silent: its twin keeps that report,
        // which every tick reads again
        Rollout rollout = givenARunningWave(10);
        DeviceRollout subject = rollout.device(SUBJECT).orElseThrow();
        FirmwareReport downloading = sent("1.0", "downloading", 0, rollout.id(), null);

        // When its device timeout runs out, and the gateway ticks on for five timeouts more
        Step timedOut = givenTheSubjectTimedOutAfter(rollout, downloading);
        List<Transition> after = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            clock.advance(DEVICE_TIMEOUT.dividedBy(4));
            after.addAll(tickReading(rollout, downloading).transitions());
        }

        // Then it timed out once and stays timed out: no transition (no event) after the timeout; before the fix the
        // old report moved it back to downloading on the next tick, and it timed out again after every deviceTimeout
        assertThat(timedOut.transitions())
                .extracting(Transition::subject, Transition::to)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(SUBJECT, "timed-out"));
        assertThat(after).isEmpty();
        assertThat(subject.state()).isEqualTo(DeviceState.TIMED_OUT);
        assertThat(subject.reportSeen()).isEqualTo(downloading.reportedVersion());
    }

    @Test
    void shouldPickAWaveMemberUpAgainWhenItReportsAfterItsTimeout() {
        // Given a wave member that timed out in downloading and stayed silent for another timeout
        Rollout rollout = givenARunningWave(10);
        DeviceRollout subject = rollout.device(SUBJECT).orElseThrow();
        FirmwareReport before = sent("1.0", "downloading", 0, rollout.id(), null);
        givenTheSubjectTimedOutAfter(rollout, before);
        clock.advance(DEVICE_TIMEOUT);
        tickReading(rollout, before);
        assertThat(subject.state()).isEqualTo(DeviceState.TIMED_OUT);

        // When it comes back and reports downloading again, a new report of the same content
        Step back = tickReading(rollout, sent("1.0", "downloading", 0, rollout.id(), null));

        // Then it is picked up again as before, and moves on with its next report
        assertThat(subject.state()).isEqualTo(DeviceState.DOWNLOADING);
        assertThat(back.transitions())
                .extracting(Transition::subject, Transition::from, Transition::to, Transition::reason)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(
                        SUBJECT, "timed-out", "downloading", "back after its timeout: device reports downloading"));
        tickReading(rollout, sent("2.0", "idle", 1, rollout.id(), null));
        assertThat(subject.state()).isEqualTo(DeviceState.INSTALLED);
    }

    @Test
    void shouldMoveADeviceReRegisteredMidRolloutOnItsNewTwinsFirstReports() {
        // Given a wave member that reported a few times, then timed out on its last word
        Rollout rollout = givenARunningWave(10);
        DeviceRollout subject = rollout.device(SUBJECT).orElseThrow();
        sent("1.0", "idle", 0, null, null);
        sent("1.0", "idle", 0, null, null);
        givenTheSubjectTimedOutAfter(rollout, sent("1.0", "downloading", 0, rollout.id(), null));
        assertThat(subject.state()).isEqualTo(DeviceState.TIMED_OUT);

        // When the operator deletes and registers it again (its new twin's versions start again from 1) and it
        // reports on the rollout
        reportedVersion = 0;
        tickReading(rollout, sent("1.0", "downloading", 0, rollout.id(), null));

        // Then that report moves it (before: every report of the new twin was at or below the old mark, ignored until
        // its count passed the old one)
        assertThat(subject.state()).isEqualTo(DeviceState.DOWNLOADING);
        assertThat(subject.reportSeen()).isEqualTo(1L);
    }

    /** A retried wave member's last word before the retry, which its twin keeps, and where that word left it. */
    static Stream<Arguments> lastWordsBeforeARetry() {
        return Stream.of(
                Arguments.of("failed on result 5", "idle", 5, DeviceState.FAILED),
                Arguments.of("timed out in downloading", "downloading", 0, DeviceState.TIMED_OUT));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("lastWordsBeforeARetry")
    void shouldMoveARetriedDeviceOnlyOnAReportSentAfterTheRetry(
            String name, String state, int result, DeviceState left) {
        // Given a wave member that failed or timed out on its last word; one failure stays under the error threshold
        Rollout rollout = givenARunningWave(10);
        DeviceRollout subject = rollout.device(SUBJECT).orElseThrow();
        FirmwareReport lastWord = sent("1.0", state, result, rollout.id(), null);
        tickReading(rollout, lastWord);
        if (left == DeviceState.TIMED_OUT) {
            clock.advance(DEVICE_TIMEOUT);
            tickReading(rollout, lastWord);
        }
        assertThat(subject.state()).isEqualTo(left);

        // When the operator retries it, and the gateway ticks on while its twin still holds that word
        written(rollout, machine.retryFailed(rollout));
        List<Transition> after = ticksReading(rollout, lastWord, 5);

        // Then it waits, notified, for its new attempt (before the fix the next tick failed it again, the retry lost,
        // or moved it to downloading on the old attempt's word)
        assertThat(after).isEmpty();
        assertThat(subject.state()).isEqualTo(DeviceState.NOTIFIED);
        assertThat(subject.reportSeen()).isEqualTo(lastWord.reportedVersion());

        // When it reports on its new attempt, then that moves it
        tickReading(rollout, sent("1.0", "downloading", 0, rollout.id(), null));
        assertThat(subject.state()).isEqualTo(DeviceState.DOWNLOADING);
    }

    @Test
    void shouldNotMoveADeviceRetriedWhilePausedOnItsOldReportOnceTheResumedRolloutNotifiesIt() {
        // Given a failed wave member, retried while the rollout is paused: pending, not notified
        Rollout rollout = givenARunningWave(10);
        DeviceRollout subject = rollout.device(SUBJECT).orElseThrow();
        FirmwareReport failedBefore = sent("1.0", "idle", 8, rollout.id(), null);
        tickReading(rollout, failedBefore);
        machine.pause(rollout, "paused by operator");
        written(rollout, machine.retryFailed(rollout));
        assertThat(subject.state()).isEqualTo(DeviceState.PENDING);

        // When the rollout resumes, a tick notifies it (no report is read for a pending device), and ticks go on
        machine.resume(rollout);
        written(rollout, machine.tick(rollout));
        assertThat(subject.state()).isEqualTo(DeviceState.NOTIFIED);
        List<Transition> after = ticksReading(rollout, failedBefore, 5);

        // Then the old failure moves nothing (before the fix: failed again)
        assertThat(after).isEmpty();
        assertThat(subject.state()).isEqualTo(DeviceState.NOTIFIED);
    }

    @Test
    void shouldNotFailARetriedAdoptedDeviceAgainOnTheResultItReportedBeforeTheRetry() {
        // Given a succeeded rollout whose adopted device failed with result 5
        Rollout rollout = givenASucceededRollout();
        written(rollout, machine.adopt(rollout, "late-1", "1.0"));
        FirmwareReport failedBefore = sent("1.0", "idle", 5, rollout.id(), "bad hash");
        machine.report(rollout, "late-1", failedBefore);
        DeviceRollout late = rollout.device("late-1").orElseThrow();
        assertThat(late.state()).isEqualTo(DeviceState.FAILED);

        // When the operator retries it and the gateway ticks on, reading the failed result again
        written(rollout, machine.retryFailed(rollout));
        Step after = machine.report(rollout, "late-1", failedBefore);
        after.addAll(machine.tick(rollout));

        // Then it stays notified (before the fix: failed again) and the rollout succeeded as before
        assertThat(after.transitions()).isEmpty();
        assertThat(late.state()).isEqualTo(DeviceState.NOTIFIED);
        assertThat(rollout.state()).isEqualTo(RolloutState.SUCCEEDED);
    }

    @Test
    void shouldMoveAnAdoptedDeviceOnlyOnAReportSentAfterItWasNotified() {
        // Given a succeeded rollout, and a device whose twin already holds a failed report naming it (a device
        // re-registered under the id of one that took part, say)
        Rollout rollout = givenASucceededRollout();
        FirmwareReport before = sent("1.0", "idle", 5, rollout.id(), "bad hash");

        // When it is adopted, and that report is read
        written(rollout, machine.adopt(rollout, "late-1", "1.0"));
        Step after = machine.report(rollout, "late-1", before);

        // Then it waits, notified, for a report on this notification (before the fix: failed at once)
        assertThat(after.transitions()).isEmpty();
        assertThat(rollout.device("late-1").orElseThrow().state()).isEqualTo(DeviceState.NOTIFIED);
    }

    @Test
    void shouldKeepEveryNonTerminalDeviceStateInTheTimeoutTable() {
        for (DeviceState state : DeviceState.values()) {
            assertThat(RolloutMachine.TIMEOUTS.containsKey(state))
                    .as(state.name())
                    .isEqualTo(!state.settled());
        }
    }

    @Test
    void shouldStartTheMainWaveWhenTheCanaryStaysHealthy() {
        // Given a canary of two and a main wave of three
        Rollout rollout = givenACanaryAndMain(false);
        machine.start(rollout);

        // When the canary installs and stays healthy for the window
        installAll(rollout, 0);
        clock.advance(HEALTH_WINDOW);
        Step step = machine.tick(rollout);

        // Then the canary succeeded and the main wave's devices are notified
        assertThat(rollout.waves().get(0).state()).isEqualTo(WaveState.SUCCEEDED);
        assertThat(rollout.waves().get(1).state()).isEqualTo(WaveState.RUNNING);
        assertThat(step.effects()).hasSize(3).allMatch(e -> e.kind() == Effect.Kind.NOTIFY);
        assertThat(rollout.state()).isEqualTo(RolloutState.RUNNING);
    }

    @Test
    void shouldSucceedWhenTheLastWaveIsHealthy() {
        Rollout rollout = givenACanaryAndMain(false);
        machine.start(rollout);
        installAll(rollout, 0);
        clock.advance(HEALTH_WINDOW);
        machine.tick(rollout);

        installAll(rollout, 1);
        clock.advance(HEALTH_WINDOW);
        machine.tick(rollout);

        assertThat(rollout.state()).isEqualTo(RolloutState.SUCCEEDED);
    }

    @Test
    void shouldPauseAfterAWaveWhenAsked() {
        Rollout rollout = givenACanaryAndMain(true);
        machine.start(rollout);
        installAll(rollout, 0);
        clock.advance(HEALTH_WINDOW);
        machine.tick(rollout);

        assertThat(rollout.state()).isEqualTo(RolloutState.PAUSED);
        assertThat(rollout.reason()).contains("canary");
        assertThat(rollout.waves().get(1).state()).isEqualTo(WaveState.PENDING);

        machine.resume(rollout);
        assertThat(rollout.waves().get(1).state()).isEqualTo(WaveState.RUNNING);
    }

    @Test
    void shouldAbortAndRollBackWhenTheCanaryFailsTheIntegrityCheck() {
        // Given a canary of two, error threshold 5 % from one device
        Rollout rollout = givenACanaryAndMain(false);
        machine.start(rollout);

        // When one canary device reports result 5
        Step step = machine.report(rollout, "c-0", sent("1.0", "idle", 5, rollout.id(), "bad hash"));

        // Then the rollout aborts, both canary devices are rolled back, the main wave never starts
        assertThat(rollout.state()).isEqualTo(RolloutState.ABORTED);
        assertThat(rollout.reason()).contains("error threshold");
        assertThat(step.effects())
                .extracting(Effect::kind, Effect::deviceId)
                .containsExactlyInAnyOrder(
                        org.assertj.core.groups.Tuple.tuple(Effect.Kind.ROLLBACK, "c-0"),
                        org.assertj.core.groups.Tuple.tuple(Effect.Kind.ROLLBACK, "c-1"));
        assertThat(rollout.waves().get(1).state()).isEqualTo(WaveState.CANCELLED);
        assertThat(rollout.device("c-0").orElseThrow().error()).contains("bad hash");
        assertThat(rollout.device("c-0").orElseThrow().result()).isEqualTo(5);
    }

    @Test
    void shouldAbortWhenASettledWaveMissesTheSuccessThreshold() {
        // Given a wave of ten where failures stay under the error threshold's minimum
        Rollout rollout = givenARunningWave(10);
        rollout.waves().get(0).devices().forEach(d -> d.state = DeviceState.HEALTHY);
        rollout.device(SUBJECT).orElseThrow().state = DeviceState.FAILED;

        machine.tick(rollout);

        assertThat(rollout.state()).isEqualTo(RolloutState.ABORTED);
        assertThat(rollout.reason()).contains("9 of 10 devices healthy");
    }

    @Test
    void shouldNotifyADeviceThatJoinsTheRunningMainWave() {
        // Given a rollout whose main wave runs
        Rollout rollout = givenACanaryAndMain(false);
        machine.start(rollout);
        installAll(rollout, 0);
        clock.advance(HEALTH_WINDOW);
        machine.tick(rollout);

        // When a device registered later matches the selector
        Step step = machine.join(rollout, "late-1");

        // Then it is notified in the main wave, and joining again changes nothing
        DeviceRollout late = rollout.device("late-1").orElseThrow();
        assertThat(late.wave()).isEqualTo(1);
        assertThat(late.state()).isEqualTo(DeviceState.NOTIFIED);
        assertThat(step.effects()).extracting(Effect::kind).containsExactly(Effect.Kind.NOTIFY);
        assertThat(machine.join(rollout, "late-1").changed()).isFalse();
    }

    @Test
    void shouldLetAJoinerWaitForThePendingMainWave() {
        // Given a rollout whose canary runs
        Rollout rollout = givenACanaryAndMain(false);
        machine.start(rollout);

        // When a device joins, then the canary succeeds
        Step joined = machine.join(rollout, "late-1");
        assertThat(joined.effects()).isEmpty();
        assertThat(rollout.device("late-1").orElseThrow().state()).isEqualTo(DeviceState.PENDING);
        installAll(rollout, 0);
        clock.advance(HEALTH_WINDOW);
        Step main = machine.tick(rollout);

        // Then it is notified with the main wave
        assertThat(main.effects()).extracting(Effect::deviceId).contains("late-1");
        assertThat(rollout.device("late-1").orElseThrow().state()).isEqualTo(DeviceState.NOTIFIED);
    }

    @Test
    void shouldNotAddJoinersToExplicitListsOrSettledRollouts() {
        RolloutSpec explicitOnly = spec(List.of(new RolloutSpec.WaveSpec("canary", List.of("c-0"), 0)), 5, 1, false);
        Rollout closed = new Rollout("r-3", explicitOnly, clock.instant());
        Wave canary = new Wave(0, "canary");
        canary.devices.add(new DeviceRollout("c-0", 0, clock.instant()));
        closed.waves.add(canary);
        machine.start(closed);
        assertThat(machine.join(closed, "late-1").changed()).isFalse();

        Rollout aborted = givenACanaryAndMain(false);
        machine.start(aborted);
        machine.abort(aborted, "operator");
        assertThat(machine.join(aborted, "late-1").changed()).isFalse();
        assertThat(aborted.device("late-1")).isEmpty();
    }

    @Test
    void shouldRefuseOperatorActionsThatDoNotApply() {
        Rollout rollout = givenARunningWave(2);
        assertThatThrownBy(() -> machine.resume(rollout))
                .isInstanceOfSatisfying(
                        GatewayException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.CONFLICT));
        machine.pause(rollout, "paused by operator");
        assertThat(rollout.state()).isEqualTo(RolloutState.PAUSED);
        assertThatThrownBy(() -> machine.pause(rollout, "again")).isInstanceOf(GatewayException.class);
        machine.abort(rollout, "operator");
        assertThat(rollout.state()).isEqualTo(RolloutState.ABORTED);
        assertThatThrownBy(() -> machine.abort(rollout, "again")).isInstanceOf(GatewayException.class);
        assertThatThrownBy(() -> machine.retryFailed(rollout)).isInstanceOf(GatewayException.class);
    }

    /** A report the device sends now: the twin's reported version goes up. */
    FirmwareReport sent(String version, String state, int result, String rollout, String error) {
        return new FirmwareReport(version, state, result, rollout, error, ++reportedVersion);
    }

    /** The subject moves to downloading on {@code lastWord}, read again by every tick until it times out: that tick. */
    private Step givenTheSubjectTimedOutAfter(Rollout rollout, FirmwareReport lastWord) {
        tickReading(rollout, lastWord);
        assertThat(rollout.device(SUBJECT).orElseThrow().state()).isEqualTo(DeviceState.DOWNLOADING);
        clock.advance(DEVICE_TIMEOUT);
        return tickReading(rollout, lastWord);
    }

    /** {@code count} ticks a tenth of the device timeout apart, each reading {@code twinReport}: their transitions. */
    private List<Transition> ticksReading(Rollout rollout, FirmwareReport twinReport, int count) {
        List<Transition> transitions = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            clock.advance(DEVICE_TIMEOUT.dividedBy(10));
            transitions.addAll(tickReading(rollout, twinReport).transitions());
        }
        return transitions;
    }

    /**
     * The step's desired twins written, as {@link Rollouts} records them: each device it notified was notified after
     * every report sent so far.
     */
    private void written(Rollout rollout, Step step) {
        for (Effect effect : step.effects()) {
            if (effect.kind() == Effect.Kind.NOTIFY) {
                rollout.device(effect.deviceId()).orElseThrow().notifiedAfter(reportedVersion);
            }
        }
    }

    /** One tick as {@link Rollouts} makes it: the subject's report as its twin holds it now, then the clock. */
    private Step tickReading(Rollout rollout, FirmwareReport twinReport) {
        Step step = machine.report(rollout, SUBJECT, twinReport);
        step.addAll(machine.tick(rollout));
        return step;
    }

    private void installAll(Rollout rollout, int wave) {
        for (DeviceRollout device : rollout.waves().get(wave).devices()) {
            machine.report(rollout, device.deviceId(), sent("2.0", "idle", 1, rollout.id(), null));
        }
    }

    private static BiFunction<RolloutMachineTest, Rollout, Step> tick(long minutes) {
        return (t, r) -> {
            t.clock.advance(Duration.ofMinutes(minutes));
            return t.machine.tick(r);
        };
    }

    private static BiFunction<RolloutMachineTest, Rollout, Step> unhealthyAfterTheWindow() {
        return (t, r) -> {
            t.healthVerdict = Optional.of("telemetry at 10% of its baseline");
            t.clock.advance(HEALTH_WINDOW);
            return t.machine.tick(r);
        };
    }

    private static BiFunction<RolloutMachineTest, Rollout, Step> pausedTick() {
        return (t, r) -> {
            t.machine.pause(r, "paused by operator");
            return t.machine.tick(r);
        };
    }

    private static BiFunction<RolloutMachineTest, Rollout, Step> report(String state, int result) {
        return (t, r) -> t.machine.report(r, SUBJECT, t.sent("1.0", state, result, r.id(), null));
    }

    private static BiFunction<RolloutMachineTest, Rollout, Step> success() {
        return (t, r) -> t.machine.report(r, SUBJECT, t.sent("2.0", "idle", 1, r.id(), null));
    }

    private Rollout givenARunningWave(int size) {
        RolloutSpec spec = spec(List.of(new RolloutSpec.WaveSpec("main", List.of(), 100)), 50, 6, false);
        Rollout rollout = new Rollout("r-1", spec, clock.instant());
        Wave wave = new Wave(0, "main");
        IntStream.range(0, size).forEach(i -> {
            // The others were notified much later, so that only the subject's clock runs out in a test.
            DeviceRollout device =
                    new DeviceRollout("dev-" + i, 0, clock.instant().plus(Duration.ofDays(30)));
            device.state = DeviceState.NOTIFIED;
            device.notifiedAt = clock.instant();
            wave.devices.add(device);
        });
        wave.state = WaveState.RUNNING;
        rollout.waves.add(wave);
        return rollout;
    }

    private Rollout givenASucceededRollout() {
        Rollout rollout = givenACanaryAndMain(false);
        machine.start(rollout);
        installAll(rollout, 0);
        clock.advance(HEALTH_WINDOW);
        machine.tick(rollout);
        installAll(rollout, 1);
        clock.advance(HEALTH_WINDOW);
        machine.tick(rollout);
        assertThat(rollout.state()).isEqualTo(RolloutState.SUCCEEDED);
        return rollout;
    }

    private Rollout givenACanaryAndMain(boolean pauseAfterWave) {
        RolloutSpec spec = spec(
                List.of(
                        new RolloutSpec.WaveSpec("canary", List.of("c-0", "c-1"), 0),
                        new RolloutSpec.WaveSpec("main", List.of(), 100)),
                5,
                1,
                pauseAfterWave);
        Rollout rollout = new Rollout("r-2", spec, clock.instant());
        Wave canary = new Wave(0, "canary");
        canary.devices.add(new DeviceRollout("c-0", 0, clock.instant()));
        canary.devices.add(new DeviceRollout("c-1", 0, clock.instant()));
        Wave main = new Wave(1, "main");
        IntStream.range(0, 3).forEach(i -> main.devices.add(new DeviceRollout("m-" + i, 1, clock.instant())));
        rollout.waves.add(canary);
        rollout.waves.add(main);
        return rollout;
    }

    private static RolloutSpec spec(
            List<RolloutSpec.WaveSpec> waves, double errorPercent, int errorMin, boolean pauseAfterWave) {
        return new RolloutSpec(
                "fw.bin",
                "2.0",
                null,
                Map.of(),
                waves,
                0.95,
                errorPercent,
                errorMin,
                HEALTH_WINDOW,
                DEVICE_TIMEOUT,
                pauseAfterWave,
                1024,
                "00",
                "sig");
    }

    /** A clock the test moves by hand. */
    static final class ManualClock extends Clock {
        private Instant now;

        ManualClock(Instant start) {
            this.now = start;
        }

        void advance(Duration by) {
            now = now.plus(by);
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
