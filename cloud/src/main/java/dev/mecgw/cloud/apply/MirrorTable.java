package dev.mecgw.cloud.apply;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The typed mirror of one edge table: its columns as found in the cloud's catalog, and the one upsert that applies a
 * change under the ordering rule of CONTRACT sync 1. Values travel as JSON and are bound as text with a cast to the
 * column's type, so PostgreSQL does the conversion; edge columns the mirror lacks go to {@code extra}. Immutable.
 */
final class MirrorTable {

    /** Columns the cloud adds to every mirror; an edge column of the same name is kept in {@code extra}. */
    static final Set<String> RESERVED =
            Set.of("site_id", "extra", "src_generation", "src_lsn", "src_commit_time", "deleted", "mirrored_at");

    /**
     * One mirrored edge column.
     *
     * @param name the column name
     * @param type the SQL type as {@code format_type} writes it
     * @param key whether it is part of the edge primary key
     */
    record Column(String name, String type, boolean key) {}

    private final String table;
    private final List<Column> columns;
    private final Set<String> names;
    private final String upsert;

    MirrorTable(String table, List<Column> columns) {
        this.table = table;
        this.columns = List.copyOf(columns);
        this.names = columns.stream().map(Column::name).collect(Collectors.toUnmodifiableSet());
        this.upsert = upsertSql(table, this.columns);
    }

    /** @return the qualified cloud table */
    String table() {
        return table;
    }

    /** @return the upsert whose parameters {@link #bind} fills */
    String upsert() {
        return upsert;
    }

    /**
     * @return whether the change carries every key column of this mirror
     */
    boolean hasKey(Change change) {
        for (Column column : columns) {
            if (column.key() && !change.row().hasNonNull(column.name())) {
                return false;
            }
        }
        return true;
    }

    /** Binds a change: a delete clears the non-key columns and marks the row deleted. */
    void bind(PreparedStatement statement, Change change) throws SQLException {
        int index = 1;
        statement.setString(index++, change.siteId());
        for (Column column : columns) {
            JsonNode value =
                    change.delete() && !column.key() ? null : change.row().get(column.name());
            statement.setString(index++, text(value));
        }
        statement.setString(
                index++, change.delete() ? "{}" : extra(change.row()).toString());
        statement.setLong(index++, change.generation());
        statement.setLong(index++, change.lsn());
        statement.setTimestamp(index++, Timestamp.from(change.commitTime()));
        statement.setBoolean(index, change.delete());
    }

    private ObjectNode extra(ObjectNode row) {
        ObjectNode extra = JsonNodeFactory.instance.objectNode();
        for (Iterator<Map.Entry<String, JsonNode>> it = row.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            if (!names.contains(field.getKey())) {
                extra.set(field.getKey(), field.getValue());
            }
        }
        return extra;
    }

    /** JSON value as the text PostgreSQL casts: strings as they are (jsonb columns travel as JSON text), rest as JSON. */
    static String text(JsonNode value) {
        if (value == null || value.isNull()) {
            return null;
        }
        return value.isValueNode() ? value.asText() : value.toString();
    }

    private static String upsertSql(String table, List<Column> columns) {
        StringBuilder names = new StringBuilder("site_id");
        StringBuilder values = new StringBuilder("?");
        StringBuilder conflict = new StringBuilder("site_id");
        StringBuilder updates = new StringBuilder();
        for (Column column : columns) {
            String quoted = quote(column.name());
            names.append(", ").append(quoted);
            values.append(", ").append(cast(column.type()));
            if (column.key()) {
                conflict.append(", ").append(quoted);
            } else {
                updates.append(quoted).append(" = EXCLUDED.").append(quoted).append(", ");
            }
        }
        return "INSERT INTO " + table + " (" + names
                + ", extra, src_generation, src_lsn, src_commit_time, deleted, mirrored_at) VALUES (" + values
                + ", CAST(? AS jsonb), ?, ?, ?, ?, now()) ON CONFLICT (" + conflict + ") DO UPDATE SET " + updates
                + "extra = EXCLUDED.extra, src_generation = EXCLUDED.src_generation, src_lsn = EXCLUDED.src_lsn,"
                + " src_commit_time = EXCLUDED.src_commit_time, deleted = EXCLUDED.deleted,"
                + " mirrored_at = EXCLUDED.mirrored_at"
                // The ordering rule: lexicographic (generation, lsn), in the same statement as the write, so replays
                // and several instances racing on one key are harmless.
                + " WHERE (" + table + ".src_generation, " + table + ".src_lsn)"
                + " < (EXCLUDED.src_generation, EXCLUDED.src_lsn)";
    }

    private static String cast(String type) {
        // The edge sends bytea as base64 text.
        return "bytea".equals(type) ? "decode(?, 'base64')" : "CAST(? AS " + type + ")";
    }

    static String quote(String identifier) {
        return '"' + identifier.replace("\"", "\"\"") + '"';
    }
}
