package dev.mecgw.cloud.fleet;

import java.time.Instant;

/**
 * One minute of one metric of one device.
 *
 * @param metric metric name
 * @param minute start of the minute
 * @param min minimum
 * @param max maximum
 * @param avg mean
 * @param count readings in the minute
 */
public record RollupView(String metric, Instant minute, Double min, Double max, Double avg, Long count) {}
