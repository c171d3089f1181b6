package dev.mecgw.sync.policy;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Which values nested in JSON columns leave the site only as an HMAC (issue 14.9), e.g. the GPSI and UE address
 * inside {@code events.payload}. A path is {@code $.a.b} (that member, looking into every element of an array on the
 * way) or {@code $..a} (member {@code a} at any depth). A matched scalar is masked; a matched object or array has
 * every scalar inside it masked.
 *
 * @param byColumn qualified column ({@code schema.table.column}) to its paths
 */
record JsonPathMasks(Map<String, List<String>> byColumn) {

    /** No nested masking. */
    public static final JsonPathMasks NONE = new JsonPathMasks(Map.of());

    private static final Pattern PATH = Pattern.compile("\\$\\.{1,2}[^.\\s]+(\\.[^.\\s]+)*");
    private static final Pattern COLUMN = Pattern.compile("[a-z_][a-z0-9_]*\\.[a-z_][a-z0-9_]*\\.[a-z_][a-z0-9_]*");

    /**
     * @throws IllegalArgumentException naming the column or the path when one is malformed
     */
    JsonPathMasks {
        byColumn = Map.copyOf(byColumn);
        byColumn.forEach((column, paths) -> {
            if (!COLUMN.matcher(column).matches()) {
                throw new IllegalArgumentException("mask path column must be schema.table.column: " + column);
            }
            for (String path : paths) {
                if (!PATH.matcher(path).matches()) {
                    throw new IllegalArgumentException(
                            "mask path of " + column + " must look like $.a.b or $..a: " + path);
                }
            }
        });
    }

    /**
     * @param table a qualified table
     * @return its columns with their paths; empty when none
     */
    public Map<String, List<String>> of(String table) {
        Map<String, List<String>> columns = new HashMap<>();
        byColumn.forEach((column, paths) -> {
            int dot = column.lastIndexOf('.');
            if (column.substring(0, dot).equals(table) && !paths.isEmpty()) {
                columns.put(column.substring(dot + 1), paths);
            }
        });
        return columns;
    }
}
