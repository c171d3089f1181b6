package dev.mecgw.inference.sensor;

import java.time.Instant;

/**
 * Consecutive readings of one device and metric, oldest first.
 *
 * @param deviceId the device
 * @param metric the metric
 * @param from timestamp of the first reading
 * @param to timestamp of the last reading
 * @param values the values; the array is owned by the window
 */
public record SensorWindow(String deviceId, String metric, Instant from, Instant to, float[] values) {}
