package dev.mecgw.app.southbound.sparkplug;

import java.util.HashMap;
import java.util.Map;

/**
 * The metric definitions of one birth (of the edge node itself or of one of its devices): names by alias and types
 * by name, with their estimated size. Confined to the broker's event loop, except {@link #typeOf}, which commands read
 * from other threads: the maps are replaced, never changed, after the birth.
 */
final class MetricScope {

    private final Map<Long, MetricDefinition> byAlias;
    private final Map<String, Integer> typeByName;
    private final long bytes;

    private MetricScope(Map<Long, MetricDefinition> byAlias, Map<String, Integer> typeByName, long bytes) {
        this.byAlias = byAlias;
        this.typeByName = typeByName;
        this.bytes = bytes;
    }

    /** Builds the scope of a birth; the caller checks {@link #bytes()} against the node's budget. */
    static MetricScope of(Iterable<MetricDefinition> named, Map<Long, MetricDefinition> aliases) {
        Map<String, Integer> types = new HashMap<>();
        long size = 0;
        for (MetricDefinition definition : named) {
            types.put(definition.name(), definition.dataType());
            size += definition.bytes();
        }
        // An alias entry shares the name string with its definition; only the entry itself costs.
        size += 48L * aliases.size();
        return new MetricScope(Map.copyOf(aliases), Map.copyOf(types), size);
    }

    /** The definition behind an alias, or null when the birth declared no such alias. */
    MetricDefinition byAlias(long alias) {
        return byAlias.get(alias);
    }

    /** The declared type of a metric name, or null when the birth did not declare it. */
    Integer typeOf(String name) {
        return typeByName.get(name);
    }

    long bytes() {
        return bytes;
    }
}
