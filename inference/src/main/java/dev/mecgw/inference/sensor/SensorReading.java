package dev.mecgw.inference.sensor;

import java.time.Instant;

/**
 * One numeric telemetry value, as the ingest pipeline hands it over.
 *
 * @param deviceId the sending device
 * @param metric metric name
 * @param ts the reading's timestamp
 * @param value the value
 * @param deviceType the sending device's type, or null when unknown (then only models that name no device type
 *     score it)
 */
public record SensorReading(String deviceId, String metric, Instant ts, double value, String deviceType) {

    /** A reading whose device type is not known. */
    public SensorReading(String deviceId, String metric, Instant ts, double value) {
        this(deviceId, metric, ts, value, null);
    }
}
