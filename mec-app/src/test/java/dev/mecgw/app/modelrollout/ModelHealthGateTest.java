package dev.mecgw.app.modelrollout;

import static dev.mecgw.app.modelrollout.ModelHealthGate.Outcome.FAILED;
import static dev.mecgw.app.modelrollout.ModelHealthGate.Outcome.PASSED;
import static dev.mecgw.app.modelrollout.ModelHealthGate.Outcome.WAITING;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mecgw.app.modelrollout.ModelHealthGate.Outcome;
import dev.mecgw.inference.model.ModelKind;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ModelHealthGateTest {

    private static final GateLimits LIMITS = new GateLimits(0.01, 1.5, 0.2, 20, 0.2, 100);
    private static final double[] BOUNDS = {0.001, 0.002, 0.004, 0.008, 0.016};

    /** baseline, candidate, passes, words the reason must hold. */
    static Stream<Arguments> cases() {
        VersionStats previous = stats(1000, 0, 1000, 20, 0.002);
        return Stream.of(
                Arguments.of(previous, stats(100, 0, 100, 3, 0.002), true, "passed"),
                Arguments.of(previous, stats(100, 0, 100, 100, 0.002), false, "detection rate 1.00 vs previous 0.02"),
                Arguments.of(previous, stats(100, 5, 100, 2, 0.002), false, "error rate 0.050"),
                Arguments.of(previous, stats(100, 0, 100, 2, 0.008), false, "latency p99 8.0 ms"),
                Arguments.of(previous, stats(5, 0, 5, 0, 0.002), false, "only 5 inference runs"),
                Arguments.of(VersionStats.NONE, stats(100, 0, 100, 100, 0.016), true, "no previous figures"),
                Arguments.of(VersionStats.NONE, stats(100, 2, 100, 0, 0.002), false, "error rate 0.020"));
    }

    @ParameterizedTest
    @MethodSource("cases")
    void shouldJudgeTheNewVersionAgainstThePreviousWhenItsWindowCloses(
            VersionStats baseline, VersionStats candidate, boolean passes, String reason) {
        ModelHealthGate.Verdict verdict = ModelHealthGate.judge(ModelKind.SENSOR, baseline, candidate, LIMITS, true);
        assertThat(verdict.passed()).as(verdict.reason()).isEqualTo(passes);
        assertThat(verdict.reason()).contains(reason);
        assertThat(verdict.figures()).containsKeys("baseline", "candidate");
    }

    /**
     * The latency check, against a previous version of 1000 runs at 2 ms: p99 from 100 runs each side, the median
     * below that (where the p99's bucket is the slowest run's). Candidate runs, of them slow (16 ms), the others at
     * 2 ms or {@code latency}; passes; words the reason must hold.
     */
    static Stream<Arguments> latencyCases() {
        return Stream.of(
                Arguments.of(40, 1, 0.002, true, "passed"),
                Arguments.of(40, 0, 0.008, false, "latency median 8.0 ms is 4.00x the previous 2.0 ms"),
                Arguments.of(40, 0, 0.008, false, "p99 needs 100 runs each side"),
                Arguments.of(200, 1, 0.002, true, "passed"),
                Arguments.of(200, 4, 0.002, false, "latency p99 16.0 ms is 8.00x the previous 2.0 ms (limit 1.50x)"));
    }

    @ParameterizedTest
    @MethodSource("latencyCases")
    void shouldNotLetOneStalledRunDecideTheLatencyOfAFewRuns(
            int runs, int slow, double latency, boolean passes, String reason) {
        VersionStats previous = stats(1000, 0, 1000, 20, 0.002);
        VersionStats candidate = new VersionStats(runs, 0, runs, 1, BOUNDS, counts(runs - slow, latency, slow, 0.016));
        ModelHealthGate.Verdict verdict = ModelHealthGate.judge(ModelKind.SENSOR, previous, candidate, LIMITS, true);
        assertThat(verdict.passed()).as(verdict.reason()).isEqualTo(passes);
        assertThat(verdict.reason()).contains(reason);
    }

    /**
     * Vision models (frames, detections), against a previous version that found 1.3 detections per frame: baseline,
     * candidate, whether the gate may still wait, outcome, words the reason must hold.
     */
    static Stream<Arguments> visionCases() {
        VersionStats previous = stats(1000, 0, 1000, 1300, 0.002);
        return Stream.of(
                Arguments.of(previous, stats(200, 0, 200, 262, 0.002), true, PASSED, "detections per frame 1.31"),
                Arguments.of(previous, stats(200, 0, 200, 0, 0.002), true, FAILED, "detections per frame 0.00 vs"),
                Arguments.of(previous, stats(200, 0, 200, 4000, 0.002), true, FAILED, "detections per frame 20.00 vs"),
                Arguments.of(previous, stats(200, 0, 200, 310, 0.002), true, FAILED, "1.55 vs previous 1.30"),
                Arguments.of(previous, stats(50, 0, 50, 0, 0.002), true, WAITING, "only 50 frames in the window"),
                Arguments.of(previous, stats(50, 0, 50, 0, 0.002), false, FAILED, "only 50 frames in the window"),
                Arguments.of(previous, stats(10, 0, 10, 0, 0.002), true, FAILED, "only 10 inference runs"),
                Arguments.of(previous, stats(50, 5, 50, 65, 0.002), true, FAILED, "error rate 0.100"),
                Arguments.of(stats(60, 0, 60, 78, 0.002), stats(200, 0, 200, 0, 0.002), true, PASSED, "passed"),
                Arguments.of(VersionStats.NONE, stats(50, 0, 50, 0, 0.002), true, PASSED, "no previous figures"));
    }

    @ParameterizedTest
    @MethodSource("visionCases")
    void shouldCompareDetectionsPerFrameWhenAVisionModelsWindowCloses(
            VersionStats baseline, VersionStats candidate, boolean mayWait, Outcome outcome, String reason) {
        ModelHealthGate.Verdict verdict = ModelHealthGate.judge(ModelKind.VISION, baseline, candidate, LIMITS, mayWait);
        assertThat(verdict.outcome()).as(verdict.reason()).isEqualTo(outcome);
        assertThat(verdict.reason()).contains(reason);
        assertThat(verdict.figures()).containsKeys("baseline", "candidate");
    }

    /** Runs whose latencies all fall in the bucket bounded by {@code latency}. */
    private static VersionStats stats(long runs, long errors, long outputs, long detections, double latency) {
        return new VersionStats(runs, errors, outputs, detections, BOUNDS, counts(runs, latency, 0, latency));
    }

    /** Cumulative bucket counts of {@code runs} runs at {@code latency} and {@code slowRuns} at {@code slowLatency}. */
    private static double[] counts(long runs, double latency, long slowRuns, double slowLatency) {
        double[] counts = new double[BOUNDS.length];
        for (int i = 0; i < BOUNDS.length; i++) {
            counts[i] = (BOUNDS[i] >= latency ? runs : 0) + (BOUNDS[i] >= slowLatency ? slowRuns : 0);
        }
        return counts;
    }
}
