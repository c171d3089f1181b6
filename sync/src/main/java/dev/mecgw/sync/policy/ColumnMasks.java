package dev.mecgw.sync.policy;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Which columns of which tables leave the site only as an HMAC (data-governance rule, e.g. SUPI and GPSI).
 *
 * @param byTable qualified table ({@code schema.table}) to the columns to mask
 */
record ColumnMasks(Map<String, Set<String>> byTable) {

    ColumnMasks {
        byTable = Map.copyOf(byTable);
    }

    /**
     * @param columns qualified columns, {@code schema.table.column} (checked by the configuration)
     * @return those columns by table
     */
    static ColumnMasks parse(List<String> columns) {
        Map<String, Set<String>> byTable = new HashMap<>();
        for (String column : columns) {
            int dot = column.lastIndexOf('.');
            byTable.computeIfAbsent(column.substring(0, dot), t -> new HashSet<>())
                    .add(column.substring(dot + 1));
        }
        return new ColumnMasks(byTable);
    }

    /**
     * @param table a qualified table
     * @return the columns to mask in it; empty when none
     */
    public Set<String> of(String table) {
        return byTable.getOrDefault(table, Set.of());
    }

    /** @return whether any column is masked at all */
    public boolean any() {
        return byTable.values().stream().anyMatch(columns -> !columns.isEmpty());
    }
}
