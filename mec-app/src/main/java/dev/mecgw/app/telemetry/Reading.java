package dev.mecgw.app.telemetry;

import java.time.Instant;

/**
 * One stored telemetry value.
 *
 * @param deviceId the device that sent it
 * @param metric metric name as sent by the device
 * @param ts the device's timestamp, or the receive time when the device sent none
 * @param value the numeric value
 */
public record Reading(String deviceId, String metric, Instant ts, double value) {}
