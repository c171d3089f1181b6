package dev.mecgw.cloud.modelrollout;

/**
 * The tolerances of a site's health gate, sent to the site with the model (CONTRACT-sync §4): the new version is
 * compared over the health window with the version it replaced.
 *
 * @param maxErrorRateIncrease how much the share of failed inference runs may grow (0.01 = one point)
 * @param maxLatencyP99Ratio how many times the previous version's p99 run latency the new one may take (a site
 *     compares medians while either side has fewer than 100 runs, docs/ota.md)
 * @param maxDetectionRateDelta sensor models: how far the share of anomalous windows may move, up or down
 * @param minRuns runs of the new version needed before the gate decides; fewer by the window's end fails the gate
 * @param maxDetectionsPerFrameDelta vision models: how far the detections per frame may move, up or down
 * @param minFrames vision models: frames of the new version needed before its detections per frame are compared; a
 *     site with fewer at the window's end waits one more window for them, then fails
 */
public record GateLimits(
        double maxErrorRateIncrease,
        double maxLatencyP99Ratio,
        double maxDetectionRateDelta,
        int minRuns,
        double maxDetectionsPerFrameDelta,
        int minFrames) {}
