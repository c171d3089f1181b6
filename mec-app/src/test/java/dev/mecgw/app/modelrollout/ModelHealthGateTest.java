package dev.mecgw.app.modelrollout;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ModelHealthGateTest {

    private static final GateLimits LIMITS = new GateLimits(0.01, 1.5, 0.2, 20);
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
        ModelHealthGate.Verdict verdict = ModelHealthGate.judge(baseline, candidate, LIMITS);
        assertThat(verdict.passed()).as(verdict.reason()).isEqualTo(passes);
        assertThat(verdict.reason()).contains(reason);
        assertThat(verdict.figures()).containsKeys("baseline", "candidate");
    }

    /** Runs whose latencies all fall in the bucket bounded by {@code latency}. */
    private static VersionStats stats(long runs, long errors, long outputs, long detections, double latency) {
        double[] counts = new double[BOUNDS.length];
        for (int i = 0; i < BOUNDS.length; i++) {
            counts[i] = BOUNDS[i] >= latency ? runs : 0;
        }
        return new VersionStats(runs, errors, outputs, detections, BOUNDS, counts);
    }
}
