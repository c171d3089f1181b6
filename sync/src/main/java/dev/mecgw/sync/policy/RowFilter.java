package dev.mecgw.sync.policy;

import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * A per-table row filter of the sync policy: a SQL predicate (a subset: comparisons, {@code IS [NOT] NULL},
 * {@code [NOT] IN}, {@code AND}, {@code OR}, {@code NOT}, parentheses) evaluated in the gateway on each change. Only
 * a row for which it is TRUE leaves the site, as with a PostgreSQL 15 publication {@code WHERE}; FALSE or NULL keep
 * the row local. Immutable and thread-safe.
 */
public final class RowFilter {

    private final String table;
    private final String text;
    private final RowPredicate predicate;

    private RowFilter(String table, String text, RowPredicate predicate) {
        this.table = table;
        this.text = text;
        this.predicate = predicate;
    }

    /**
     * @param table the qualified table ({@code schema.table}) the filter applies to
     * @param predicate the predicate text, e.g. {@code kind <> 'debug' AND severity >= 3}
     * @return the parsed filter
     * @throws IllegalArgumentException naming the table and the position when the text is not in the subset
     */
    public static RowFilter parse(String table, String predicate) {
        Objects.requireNonNull(table, "table");
        if (!table.matches("[a-z_][a-z0-9_]*\\.[a-z_][a-z0-9_]*")) {
            throw new IllegalArgumentException("row filter table must be schema.table, got '" + table + "'");
        }
        if (predicate == null || predicate.isBlank()) {
            throw new IllegalArgumentException("row filter for " + table + " is empty");
        }
        try {
            return new RowFilter(table, predicate, RowFilterParser.parse(predicate));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(
                    "row filter for " + table + " is not valid: " + e.getMessage() + " in \"" + predicate + "\"", e);
        }
    }

    /** @return the qualified table */
    public String table() {
        return table;
    }

    /** @return the predicate as configured */
    public String text() {
        return text;
    }

    /** @return the columns the predicate reads */
    public Set<String> columns() {
        Set<String> columns = new LinkedHashSet<>();
        predicate.columns(columns);
        return Collections.unmodifiableSet(columns);
    }

    /**
     * @param row the row after the change, column name to value (as in the change event)
     * @return whether the row leaves the site: the predicate is TRUE for it
     */
    public boolean matches(Map<String, Object> row) {
        return Boolean.TRUE.equals(predicate.eval(row));
    }

    /** @return the predicate rendered as SQL (quoted identifiers, escaped literals), for checking it in PostgreSQL */
    public String sql() {
        return predicate.sql();
    }

    @Override
    public String toString() {
        return table + " WHERE " + text;
    }
}
