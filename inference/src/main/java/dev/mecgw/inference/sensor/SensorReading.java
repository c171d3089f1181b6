package dev.mecgw.inference.sensor;

import java.time.Instant;

/**
 * One numeric telemetry value, as the ingest pipeline hands it over.
 *
 * @param deviceId the sending device
 * @param metric metric name
 * @param ts the reading's timestamp
 * @param value the value
 */
public record SensorReading(String deviceId, String metric, Instant ts, double value) {}
