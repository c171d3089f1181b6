package dev.mecgw.sync.policy;

import java.util.Map;
import java.util.Set;

/**
 * Which columns of which tables leave the site only as an HMAC (data-governance rule, e.g. SUPI and GPSI).
 *
 * @param byTable qualified table ({@code schema.table}) to the columns to mask
 */
public record ColumnMasks(Map<String, Set<String>> byTable) {

    public ColumnMasks {
        byTable = Map.copyOf(byTable);
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
