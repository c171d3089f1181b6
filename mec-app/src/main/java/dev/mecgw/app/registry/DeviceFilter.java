package dev.mecgw.app.registry;

import java.util.Map;

/**
 * Criteria for listing devices; null fields do not filter.
 *
 * @param type exact device type
 * @param labels every label must match exactly
 * @param sst slice/service type
 * @param sd slice differentiator
 */
public record DeviceFilter(String type, Map<String, String> labels, Integer sst, String sd) {}
