package dev.mecgw.app.sync;

import dev.mecgw.sync.policy.FilteringChangeSink;
import dev.mecgw.sync.policy.RowFilter;
import java.sql.SQLException;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.sql.DataSource;

/** Parses and checks {@code mecgw.sync.row-filters} at start-up, so that a bad filter stops the gateway early. */
public final class RowFilterPolicy {

    private RowFilterPolicy() {}

    /**
     * @param configured table to predicate text, as configured
     * @param replicated every table that leaves the site (critical and bulk)
     * @return table to parsed filter
     * @throws IllegalArgumentException naming the key and the reason when a filter is not valid, or names a table that
     *     is not replicated
     */
    public static Map<String, RowFilter> load(
            Map<String, String> configured, Collection<String> replicated, DataSource dataSource) throws SQLException {
        Map<String, RowFilter> filters = new LinkedHashMap<>();
        for (Map.Entry<String, String> entry : configured.entrySet()) {
            String table = entry.getKey();
            if (!replicated.contains(table)) {
                throw new IllegalArgumentException("mecgw.sync.row-filters.\"" + table + "\": " + table
                        + " is not replicated (not in mecgw.sync.tables or mecgw.sync.bulk-tables)");
            }
            try {
                filters.put(table, RowFilter.parse(table, entry.getValue()));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("mecgw.sync.row-filters.\"" + table + "\": " + e.getMessage(), e);
            }
        }
        FilteringChangeSink.verify(dataSource, filters.values());
        return filters;
    }
}
