package dev.mecgw.app.southbound.sparkplug;

/**
 * A metric as a birth declared it: the name data messages refer to by alias, and its Sparkplug data type.
 *
 * @param name the metric name
 * @param dataType the Sparkplug B {@code DataType} number (3.0 section 6.4.16)
 */
record MetricDefinition(String name, int dataType) {

    /** What the definition costs in memory, estimated: the name's characters plus the map entry around it. */
    long bytes() {
        return 2L * name.length() + 96;
    }
}
