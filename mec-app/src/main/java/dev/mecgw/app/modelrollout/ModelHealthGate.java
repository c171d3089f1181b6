package dev.mecgw.app.modelrollout;

import dev.mecgw.inference.model.ModelKind;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Decides whether a newly installed model version is healthy (issue 18 item 5): over the health window, compared
 * with the version it replaced, its inference error rate may not grow by more than the tolerance, its p99 run
 * latency (its median while either side has fewer than {@link #P99_MIN_RUNS} runs) may not exceed the allowed
 * multiple, and its output distribution may not move by more than the tolerance:
 * the share of anomalous windows of a sensor model, the detections per frame of a vision model. It needs
 * {@code minRuns} runs: a model nobody exercised is not called healthy. A vision model's detections per frame are
 * judged only on {@code minFrames} frames; with fewer the gate waits, if it may. Where the previous version has no
 * figures (first install, or the process restarted since), only the absolute checks apply. Pure.
 */
public final class ModelHealthGate {

    /**
     * Runs each side needs before its p99 is compared. With fewer, the bucket that holds the p99 is the one of the
     * slowest run, so one run stalled by the host (a GC pause, a loaded core) would decide: the median is compared
     * instead, against the same ratio. A model slower across the board still fails; a tail that grew on a site with
     * few runs is not seen until it has {@value} of them.
     */
    static final long P99_MIN_RUNS = 100;

    private ModelHealthGate() {}

    /** What the gate decided. */
    public enum Outcome {
        /** The new version stays. */
        PASSED,
        /** The new version goes: the previous one serves again. */
        FAILED,
        /** Too few outputs to judge them yet; nothing else failed. Asked again later. */
        WAITING
    }

    /**
     * The gate's decision.
     *
     * @param outcome passed, failed, or waiting for more outputs
     * @param reason the failed checks, what it waits for, or a summary when it passed
     * @param figures baseline and candidate figures, reported to the cloud
     */
    public record Verdict(Outcome outcome, String reason, Map<String, Object> figures) {

        /** Whether the new version stays. */
        public boolean passed() {
            return outcome == Outcome.PASSED;
        }
    }

    /**
     * The output-distribution check of one kind of model: which rate, counted in what, how far it may move, and the
     * outputs each side needs before it is compared.
     */
    private record OutputCheck(String rate, String samples, double tolerance, long minSamples) {

        static OutputCheck of(ModelKind kind, GateLimits limits) {
            if (kind == ModelKind.VISION) {
                return new OutputCheck(
                        "detections per frame", "frames", limits.maxDetectionsPerFrameDelta(), limits.minFrames());
            }
            return new OutputCheck("detection rate", "scored windows", limits.maxDetectionRateDelta(), 0);
        }
    }

    /**
     * @param kind which pipeline feeds the model, and so which outputs are compared
     * @param baseline the previous version's figures (its runs before the install); {@link VersionStats#NONE} when
     *     unknown
     * @param candidate the new version's figures within the window
     * @param limits the tolerances
     * @param mayWait whether too few outputs may defer the decision; when false they fail the gate
     */
    public static Verdict judge(
            ModelKind kind, VersionStats baseline, VersionStats candidate, GateLimits limits, boolean mayWait) {
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
        if (compare) {
            latency(baseline, candidate, limits.maxLatencyP99Ratio(), failed);
        }
        OutputCheck outputs = OutputCheck.of(kind, limits);
        String tooFew = outputs(outputs, baseline, candidate, failed);
        if (tooFew != null && !mayWait) {
            failed.add(tooFew);
        }
        Map<String, Object> figures = new LinkedHashMap<>();
        figures.put("baseline", figures(baseline));
        figures.put("candidate", figures(candidate));
        if (!failed.isEmpty()) {
            return new Verdict(Outcome.FAILED, "health gate: " + String.join("; ", failed), figures);
        }
        if (tooFew != null) {
            return new Verdict(Outcome.WAITING, "health gate waiting: " + tooFew, figures);
        }
        return new Verdict(
                Outcome.PASSED,
                String.format(
                        Locale.ROOT,
                        "health gate passed: %d runs, error rate %.3f, %s %.2f%s",
                        candidate.runs(),
                        candidate.errorRate(),
                        outputs.rate(),
                        candidate.detectionRate(),
                        compare ? "" : " (no previous figures to compare with)"),
                figures);
    }

    /**
     * The latency check: the new version's p99 (the median where either side has fewer than {@link #P99_MIN_RUNS}
     * runs) may be at most {@code maxRatio} times the previous version's.
     *
     * @param failed where a latency over the limit is added
     */
    private static void latency(VersionStats baseline, VersionStats candidate, double maxRatio, List<String> failed) {
        boolean tail = baseline.runs() >= P99_MIN_RUNS && candidate.runs() >= P99_MIN_RUNS;
        double quantile = tail ? 0.99 : 0.5;
        double previous = baseline.quantileSeconds(quantile);
        double now = candidate.quantileSeconds(quantile);
        if (!(previous > 0 && now > 0)) {
            return;
        }
        double ratio = now / previous;
        if (ratio > maxRatio) {
            failed.add(String.format(
                    Locale.ROOT,
                    "latency %s %.1f ms is %.2fx the previous %.1f ms (limit %.2fx%s)",
                    tail ? "p99" : "median",
                    now * 1000,
                    ratio,
                    previous * 1000,
                    maxRatio,
                    tail ? "" : String.format(Locale.ROOT, "; p99 needs %d runs each side", P99_MIN_RUNS)));
        }
    }

    /**
     * The one output-distribution comparison, for every kind of model: the new version's rate may not move from the
     * previous one's by more than the tolerance, either way. Compared only when the previous version had the
     * minimum sample; then the new one needs it too.
     *
     * @param failed where a rate that moved too far is added
     * @return why the gate must wait (too few outputs of the new version), or null
     */
    private static String outputs(
            OutputCheck check, VersionStats baseline, VersionStats candidate, List<String> failed) {
        double previous = baseline.detectionRate();
        if (baseline.outputs() < check.minSamples() || Double.isNaN(previous)) {
            return null;
        }
        if (candidate.outputs() < check.minSamples()) {
            return String.format(
                    Locale.ROOT,
                    "only %d %s in the window, %d needed to compare the %s",
                    candidate.outputs(),
                    check.samples(),
                    check.minSamples(),
                    check.rate());
        }
        double rate = candidate.detectionRate();
        if (!Double.isNaN(rate) && Math.abs(rate - previous) > check.tolerance()) {
            failed.add(String.format(
                    Locale.ROOT,
                    "%s %.2f vs previous %.2f (tolerance %.2f)",
                    check.rate(),
                    rate,
                    previous,
                    check.tolerance()));
        }
        return null;
    }

    private static Map<String, Object> figures(VersionStats stats) {
        Map<String, Object> figures = new LinkedHashMap<>();
        figures.put("runs", stats.runs());
        figures.put("errors", stats.errors());
        figures.put("outputs", stats.outputs());
        figures.put("detections", stats.detections());
        figures.put("p50Seconds", finite(stats.quantileSeconds(0.5)));
        figures.put("p99Seconds", finite(stats.p99Seconds()));
        figures.put("detectionRate", finite(stats.detectionRate()));
        return figures;
    }

    private static Double finite(double value) {
        return Double.isFinite(value) ? value : null;
    }
}
