package dev.mecgw.app.modelrollout;

/**
 * Tolerances of the health gate, as the cloud sent them with the offer.
 *
 * @param maxErrorRateIncrease how much the share of failed runs may grow over the previous version's (0.01 = 1 point)
 * @param maxLatencyP99Ratio the new p99 run latency may be at most this multiple of the previous version's
 * @param maxDetectionRateDelta how far the share of anomalous windows may move from the previous version's
 * @param minRuns runs of the new version needed within the window; fewer fails the gate ("installed" is not healthy)
 */
public record GateLimits(
        double maxErrorRateIncrease, double maxLatencyP99Ratio, double maxDetectionRateDelta, int minRuns) {}
