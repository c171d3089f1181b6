package dev.mecgw.app.modelrollout;

/**
 * Tolerances of the health gate, as the cloud sent them with the offer.
 *
 * @param maxErrorRateIncrease how much the share of failed runs may grow over the previous version's (0.01 = 1 point)
 * @param maxLatencyP99Ratio the new p99 run latency may be at most this multiple of the previous version's (the
 *     median, while either side has fewer than 100 runs: {@link ModelHealthGate})
 * @param maxDetectionRateDelta sensor models: how far the share of anomalous windows may move from the previous
 *     version's
 * @param minRuns runs of the new version needed within the window; fewer fails the gate ("installed" is not healthy)
 * @param maxDetectionsPerFrameDelta vision models: how far the detections per frame may move from the previous
 *     version's
 * @param minFrames vision models: frames needed on each side before detections per frame are compared; the gate
 *     waits for the new version's (at most one more health window), and skips the comparison when the previous
 *     version had fewer
 */
public record GateLimits(
        double maxErrorRateIncrease,
        double maxLatencyP99Ratio,
        double maxDetectionRateDelta,
        int minRuns,
        double maxDetectionsPerFrameDelta,
        int minFrames) {}
