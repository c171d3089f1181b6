package dev.mecgw.app.southbound.iec104;

/**
 * One mapped information object of a device: readings of this IOA are stored under the metric.
 *
 * @param ioa information object address (1..16777215)
 * @param metric metric name the readings are stored under
 */
public record Iec104Point(int ioa, String metric) {}
