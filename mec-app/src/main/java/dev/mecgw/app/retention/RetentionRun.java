package dev.mecgw.app.retention;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What one retention run deleted.
 *
 * @param deleted rows deleted per table, in rule order, the marker table last; a stopped run lists the tables up to the
 *     one it stopped in, and no marker table
 * @param complete false when a table had more expired rows than one run deletes, or the run stopped before it reached
 *     the end of one (the next run goes on)
 * @param stopped a stop requested during the run ended it between two batches
 */
public record RetentionRun(Map<String, Long> deleted, boolean complete, boolean stopped) {

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
