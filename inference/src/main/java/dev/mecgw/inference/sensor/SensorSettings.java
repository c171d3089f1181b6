package dev.mecgw.inference.sensor;

/**
 * How the sensor pipeline cuts and batches telemetry.
 *
 * @param modelName registry name of the sensor model; its input width must equal {@code windowSize}
 * @param windowSize readings per window, at least 1
 * @param stride readings between consecutive windows of one device and metric, 1..windowSize
 * @param maxBatch windows per model run, at least 1 (models with a fixed batch of 1 run one by one)
 */
public record SensorSettings(String modelName, int windowSize, int stride, int maxBatch) {

    public SensorSettings {
        if (maxBatch < 1) {
            throw new IllegalArgumentException("maxBatch must be at least 1");
        }
    }
}
