package dev.mecgw.inference.sensor;

/**
 * A model's verdict on one window.
 *
 * @param window the window
 * @param model name of the model that scored it
 * @param version version of that model
 * @param score anomaly score (higher is more anomalous)
 * @param threshold the model's threshold at scoring time
 */
public record WindowScore(SensorWindow window, String model, String version, double score, double threshold) {

    /** Whether the score is above the threshold. */
    public boolean anomalous() {
        return score > threshold;
    }
}
