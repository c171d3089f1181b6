package dev.mecgw.cloud.modelrollout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.mecgw.cloud.problem.CloudException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ModelRolloutMachineTest {

    private static final Instant T0 = Instant.parse("2026-12-06T01:00:00Z");
    private static final Duration RESEND_AFTER = Duration.ofMinutes(2);

    private final MutableClock clock = new MutableClock(T0);
    private final ModelRolloutMachine machine = new ModelRolloutMachine(clock, RESEND_AFTER);
    private final Map<String, SiteReport> reports = new HashMap<>();

    /** Every row of the report table, from each state it applies in. */
    static Stream<Arguments> reportTable() {
        return ModelRolloutMachine.REPORTS.entrySet().stream()
                .flatMap(e -> e.getValue().from().stream()
                        .map(from -> Arguments.of(from, e.getKey(), e.getValue().to())));
    }

    @ParameterizedTest(name = "{0} + report {1} -> {2}")
    @MethodSource("reportTable")
    void shouldMoveASiteAsTheReportTableSaysWhenItReports(SiteState from, String reported, SiteState to) {
        // given a running canary wave whose site is in state `from`
        ModelRollout rollout = givenAStartedRollout();
        site(rollout, "canary-1").state = from;
        // when the site reports
        reports.put("canary-1", report(reported, "why " + reported, 0, null));
        machine.tick(rollout, reports);
        // then it moved as the table says
        assertThat(site(rollout, "canary-1").state).isEqualTo(to);
    }

    @Test
    void shouldIgnoreAReportWhenTheTableHasNoRowForTheSiteState() {
        // given a site still pending (its wave did not start)
        ModelRollout rollout = givenAStartedRollout();
        // when a site of the pending wave reports success
        reports.put("main-1", report("succeeded", null, 0, null));
        machine.tick(rollout, reports);
        // then nothing moves
        assertThat(site(rollout, "main-1").state).isEqualTo(SiteState.PENDING);
    }

    /** Every row of the timeout table. */
    static Stream<Arguments> timeoutTable() {
        return ModelRolloutMachine.TIMEOUTS.entrySet().stream()
                .map(e -> Arguments.of(e.getKey(), e.getValue().next()));
    }

    @ParameterizedTest(name = "{0} times out to {1}")
    @MethodSource("timeoutTable")
    void shouldTimeOutASiteWhenItMakesNoProgressWithinItsStateTimeout(SiteState state, SiteState next) {
        // given a site in `state`
        ModelRollout rollout = givenAStartedRollout();
        ModelRollout.Site site = site(rollout, "canary-1");
        site.state = state;
        site.since = T0;
        site.progressAt = null;
        Duration limit = ModelRolloutMachine.TIMEOUTS.get(state).after().apply(rollout.spec);
        // when time passes just short of its timeout, then past it
        clock.now = T0.plus(limit).minusSeconds(1);
        machine.tick(rollout, reports);
        assertThat(site.state).isEqualTo(state);
        clock.now = T0.plus(limit);
        machine.tick(rollout, reports);
        // then it moved on, and with zero tolerated failures the rollout aborted
        assertThat(site.state).isEqualTo(next);
        assertThat(rollout.state).isEqualTo(RolloutState.ABORTED);
    }

    @Test
    void shouldAbortAndLeaveOtherSitesUntouchedWhenTheCanaryRollsBack() {
        // given the canary downloading
        ModelRollout rollout = givenAStartedRollout();
        machine.published(rollout, "canary-1");
        // when its health gate fails and it rolls back
        reports.put("canary-1", report("rolled-back", "health gate: detection rate 1.00, was 0.00", 4, ""));
        Step step = machine.tick(rollout, reports);
        // then the rollout aborts with the site's reason; the main wave's sites are cancelled, never sent
        assertThat(rollout.state).isEqualTo(RolloutState.ABORTED);
        assertThat(rollout.reason).contains("canary-1", "rolled-back", "detection rate 1.00");
        assertThat(rollout.waves.get(0).state).isEqualTo(WaveState.FAILED);
        assertThat(rollout.waves.get(1).state).isEqualTo(WaveState.CANCELLED);
        assertThat(site(rollout, "main-1").state).isEqualTo(SiteState.CANCELLED);
        assertThat(site(rollout, "main-2").state).isEqualTo(SiteState.CANCELLED);
        assertThat(step.transitions()).anyMatch(t -> t.scope().equals("rollout") && t.to().equals("aborted"));
    }

    @Test
    void shouldStartTheNextWaveAndSucceedWhenEverySitePassesItsGate() {
        // given the canary succeeded
        ModelRollout rollout = givenAStartedRollout();
        machine.published(rollout, "canary-1");
        reports.put("canary-1", report("succeeded", "gate passed", 4, ""));
        machine.tick(rollout, reports);
        // then the main wave is being published
        assertThat(rollout.waves.get(0).state).isEqualTo(WaveState.SUCCEEDED);
        assertThat(site(rollout, "main-1").state).isEqualTo(SiteState.SENDING);
        // when both main sites pass
        machine.published(rollout, "main-1");
        machine.published(rollout, "main-2");
        reports.put("main-1", report("succeeded", null, 4, ""));
        reports.put("main-2", report("succeeded", null, 4, ""));
        machine.tick(rollout, reports);
        // then the rollout succeeded
        assertThat(rollout.state).isEqualTo(RolloutState.SUCCEEDED);
    }

    @Test
    void shouldNotStartTheNextWaveWhilePaused() {
        // given a paused rollout whose canary then succeeds
        ModelRollout rollout = givenAStartedRollout();
        machine.published(rollout, "canary-1");
        machine.pause(rollout, "operator");
        reports.put("canary-1", report("succeeded", null, 4, ""));
        machine.tick(rollout, reports);
        // then the main wave waits, and starts on resume
        assertThat(site(rollout, "main-1").state).isEqualTo(SiteState.PENDING);
        machine.resume(rollout);
        assertThat(site(rollout, "main-1").state).isEqualTo(SiteState.SENDING);
    }

    @Test
    void shouldCancelDownloadsAndRevertInstallsWhenTheOperatorAborts() {
        // given a canary gating and the main wave downloading
        ModelRollout rollout = givenAStartedRollout();
        machine.published(rollout, "canary-1");
        reports.put("canary-1", report("gating", null, 4, ""));
        machine.tick(rollout, reports);
        // when the operator aborts
        machine.abort(rollout, "aborted by operator");
        // then the installed site is reverted, pending ones cancelled, and the publishing states end on confirm
        assertThat(site(rollout, "canary-1").state).isEqualTo(SiteState.REVERTING);
        assertThat(site(rollout, "main-1").state).isEqualTo(SiteState.CANCELLED);
        machine.published(rollout, "canary-1");
        assertThat(site(rollout, "canary-1").state).isEqualTo(SiteState.REVERTED);
        assertThatThrownBy(() -> machine.abort(rollout, "again")).isInstanceOf(CloudException.class);
    }

    @Test
    void shouldResendOnlyTheMissingChunksWhenADownloadStalls() {
        // given a site that stored chunks 0-1 and 3 of 4, then went quiet
        ModelRollout rollout = givenAStartedRollout();
        machine.published(rollout, "canary-1");
        reports.put("canary-1", report("downloading", null, 3, "2"));
        machine.tick(rollout, reports);
        // when the resend delay passes without progress
        clock.now = T0.plus(RESEND_AFTER);
        Step step = machine.tick(rollout, reports);
        // then only chunk 2 is published again, once
        assertThat(step.resends()).containsExactly(new Step.Resend("canary-1", List.of(2)));
        assertThat(machine.tick(rollout, reports).resends()).isEmpty();
        assertThat(site(rollout, "canary-1").resentChunks).isEqualTo(1);
    }

    @Test
    void shouldReadChunkRangesWhenTheSiteNamesMissingChunks() {
        assertThat(ChunkRanges.parse("0-2,5,9-10", 10)).containsExactly(0, 1, 2, 5, 9);
        assertThat(ChunkRanges.parse("", 10)).isEmpty();
        assertThat(ChunkRanges.parse(null, 10)).isEmpty();
    }

    private ModelRollout givenAStartedRollout() {
        ModelRolloutSpec spec = new ModelRolloutSpec(
                "sensor-anomaly",
                "2",
                "00",
                4 * 1024,
                JsonNodeFactory.instance.objectNode(),
                List.of(
                        new ModelRolloutSpec.PlannedWave("canary", List.of("canary-1")),
                        new ModelRolloutSpec.PlannedWave("main", List.of("main-1", "main-2"))),
                Duration.ofMinutes(5),
                Duration.ofMinutes(30),
                0,
                new GateLimits(0.01, 1.5, 0.2, 20, 0.2, 100),
                1024);
        ModelRollout rollout = ModelRollout.plan("r1", spec, T0);
        machine.start(rollout);
        assertThat(site(rollout, "canary-1").state).isEqualTo(SiteState.SENDING);
        return rollout;
    }

    private static ModelRollout.Site site(ModelRollout rollout, String id) {
        return rollout.site(id).orElseThrow();
    }

    private SiteReport report(String state, String reason, int chunks, String missing) {
        return new SiteReport(state, reason, chunks, missing, clock.now);
    }

    private static final class MutableClock extends Clock {
        Instant now;

        MutableClock(Instant now) {
            this.now = now;
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    }
}
