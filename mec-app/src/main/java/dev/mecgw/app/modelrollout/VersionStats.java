package dev.mecgw.app.modelrollout;

import java.util.Arrays;

/**
 * What one model version did: runs, failed runs, the run-latency histogram, and its outputs (a sensor model's windows
 * scored and found anomalous; a vision model's frames analyzed and detections). Counts are cumulative since the
 * process started; {@link #minus} gives a window's share.
 *
 * @param runs ONNX Runtime runs
 * @param errors failed runs
 * @param outputs windows scored, or frames analyzed
 * @param detections windows found anomalous, or detections in those frames
 * @param bucketSeconds upper bounds of the latency histogram's buckets, ascending
 * @param bucketCounts cumulative runs at or below each bound
 */
public record VersionStats(
        long runs, long errors, long outputs, long detections, double[] bucketSeconds, double[] bucketCounts) {

    /** Nothing seen. */
    public static final VersionStats NONE = new VersionStats(0, 0, 0, 0, new double[0], new double[0]);

    /** @return this minus an earlier snapshot of the same version (a window's share) */
    public VersionStats minus(VersionStats earlier) {
        double[] counts = bucketCounts.clone();
        if (Arrays.equals(bucketSeconds, earlier.bucketSeconds)) {
            for (int i = 0; i < counts.length; i++) {
                counts[i] -= earlier.bucketCounts[i];
            }
        }
        return new VersionStats(
                runs - earlier.runs,
                errors - earlier.errors,
                outputs - earlier.outputs,
                detections - earlier.detections,
                bucketSeconds,
                counts);
    }

    /** Failed runs per run; 0 without runs. */
    public double errorRate() {
        return runs == 0 ? 0 : (double) errors / runs;
    }

    /** Anomalous windows per scored window, or detections per frame; NaN without outputs. */
    public double detectionRate() {
        return outputs == 0 ? Double.NaN : (double) detections / outputs;
    }

    /** The p99 run latency in seconds, as the upper bound of the bucket that holds it; NaN without runs. */
    public double p99Seconds() {
        return quantileSeconds(0.99);
    }

    /**
     * A run-latency quantile in seconds, as the upper bound of the bucket that holds it; NaN without runs.
     *
     * @param quantile between 0 and 1: 0.5 for the median, 0.99 for the p99
     */
    public double quantileSeconds(double quantile) {
        if (bucketCounts.length == 0) {
            return Double.NaN;
        }
        double total = bucketCounts[bucketCounts.length - 1];
        if (total <= 0) {
            return Double.NaN;
        }
        for (int i = 0; i < bucketCounts.length; i++) {
            if (bucketCounts[i] >= quantile * total) {
                return bucketSeconds[i];
            }
        }
        return bucketSeconds[bucketSeconds.length - 1];
    }
}
