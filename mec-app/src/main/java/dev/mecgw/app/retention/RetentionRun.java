package dev.mecgw.app.retention;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What one retention run deleted.
 *
 * @param deleted rows deleted per table, in rule order, the marker table last
 * @param complete false when a table had more expired rows than one run deletes (the next run goes on)
 */
public record RetentionRun(Map<String, Long> deleted, boolean complete) {

    public RetentionRun {
        deleted = Collections.unmodifiableMap(new LinkedHashMap<>(deleted));
    }

    /** @return rows deleted over all tables, markers excluded */
    public long total() {
        return deleted.entrySet().stream()
                .filter(e -> !e.getKey().equals(PostgresRetention.MARKS_TABLE))
                .mapToLong(Map.Entry::getValue)
                .sum();
    }
}
