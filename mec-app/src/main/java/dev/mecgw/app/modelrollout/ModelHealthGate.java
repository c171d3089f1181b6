package dev.mecgw.app.modelrollout;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Decides whether a newly installed model version is healthy (issue 18 item 5): over the health window, compared
 * with the version it replaced, its inference error rate may not grow by more than the tolerance, its p99 run
 * latency may not exceed the allowed multiple, and its output distribution (share of anomalous windows) may not move
 * by more than the tolerance. It needs {@code minRuns} runs: a model nobody exercised is not called healthy. Where
 * the previous version has no figures (first install, or the process restarted since), only the absolute checks
 * apply. Pure.
 */
public final class ModelHealthGate {

    private ModelHealthGate() {}

    /**
     * The gate's decision.
     *
     * @param passed whether the new version stays
     * @param reason the failed checks, or a summary when it passed
     * @param figures baseline and candidate figures, reported to the cloud
     */
    public record Verdict(boolean passed, String reason, Map<String, Object> figures) {}

    /**
     * @param baseline the previous version's figures (its runs before the install); {@link VersionStats#NONE} when
     *     unknown
     * @param candidate the new version's figures within the window
     * @param limits the tolerances
     */
    public static Verdict judge(VersionStats baseline, VersionStats candidate, GateLimits limits) {
        List<String> failed = new ArrayList<>();
        if (candidate.runs() < limits.minRuns()) {
            failed.add(String.format(
                    Locale.ROOT,
                    "only %d inference runs in the window, %d needed",
                    candidate.runs(),
                    limits.minRuns()));
        }
        boolean compare = baseline.runs() >= limits.minRuns();
        double errorLimit = (compare ? baseline.errorRate() : 0) + limits.maxErrorRateIncrease();
        if (candidate.errorRate() > errorLimit) {
            failed.add(String.format(
                    Locale.ROOT,
                    "error rate %.3f above %.3f (previous %.3f)",
                    candidate.errorRate(),
                    errorLimit,
                    baseline.errorRate()));
        }
        if (compare && baseline.p99Seconds() > 0 && candidate.p99Seconds() > 0) {
            double ratio = candidate.p99Seconds() / baseline.p99Seconds();
            if (ratio > limits.maxLatencyP99Ratio()) {
                failed.add(String.format(
                        Locale.ROOT,
                        "latency p99 %.1f ms is %.2fx the previous %.1f ms (limit %.2fx)",
                        candidate.p99Seconds() * 1000,
                        ratio,
                        baseline.p99Seconds() * 1000,
                        limits.maxLatencyP99Ratio()));
            }
        }
        if (!Double.isNaN(baseline.detectionRate()) && !Double.isNaN(candidate.detectionRate())) {
            double delta = Math.abs(candidate.detectionRate() - baseline.detectionRate());
            if (delta > limits.maxDetectionRateDelta()) {
                failed.add(String.format(
                        Locale.ROOT,
                        "detection rate %.2f vs previous %.2f (tolerance %.2f)",
                        candidate.detectionRate(),
                        baseline.detectionRate(),
                        limits.maxDetectionRateDelta()));
            }
        }
        Map<String, Object> figures = new LinkedHashMap<>();
        figures.put("baseline", figures(baseline));
        figures.put("candidate", figures(candidate));
        if (!failed.isEmpty()) {
            return new Verdict(false, "health gate: " + String.join("; ", failed), figures);
        }
        return new Verdict(
                true,
                String.format(
                        Locale.ROOT,
                        "health gate passed: %d runs, error rate %.3f, detection rate %.2f%s",
                        candidate.runs(),
                        candidate.errorRate(),
                        candidate.detectionRate(),
                        compare ? "" : " (no previous figures to compare with)"),
                figures);
    }

    private static Map<String, Object> figures(VersionStats stats) {
        Map<String, Object> figures = new LinkedHashMap<>();
        figures.put("runs", stats.runs());
        figures.put("errors", stats.errors());
        figures.put("outputs", stats.outputs());
        figures.put("detections", stats.detections());
        figures.put("p99Seconds", finite(stats.p99Seconds()));
        figures.put("detectionRate", finite(stats.detectionRate()));
        return figures;
    }

    private static Double finite(double value) {
        return Double.isFinite(value) ? value : null;
    }
}
