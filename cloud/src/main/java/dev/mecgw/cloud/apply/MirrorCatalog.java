package dev.mecgw.cloud.apply;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Finds the typed mirror of an edge table in the cloud database's catalog: edge {@code schema.table} maps to the
 * cloud table of the same schema and name. Looked up once per table and process, so a column added by a cloud
 * migration is used after the next start. Thread-safe.
 */
final class MirrorCatalog {

    private static final String COLUMNS = "SELECT a.attname, format_type(a.atttypid, a.atttypmod),"
            + " coalesce(a.attnum = ANY (i.indkey), false)"
            + " FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid"
            + " JOIN pg_namespace n ON n.oid = c.relnamespace"
            + " LEFT JOIN pg_index i ON i.indrelid = c.oid AND i.indisprimary"
            + " WHERE n.nspname = ? AND c.relname = ? AND c.relkind IN ('r', 'p') AND a.attnum > 0"
            + " AND NOT a.attisdropped ORDER BY a.attnum";

    /** The cloud's own tables: never a mirror, whatever an edge table is called. */
    private static final Set<String> OWN =
            Set.of("public.sites", "public.cloud_commands", "public.unmapped_rows", "public.flyway_schema_history");

    private final Map<String, Optional<MirrorTable>> tables = new ConcurrentHashMap<>();

    /**
     * @param connection a connection to the cloud database
     * @param edgeTable the qualified edge table, {@code schema.table}
     * @return its mirror, or empty when the cloud has no such table with a {@code site_id} key
     * @throws SQLException when the catalog cannot be read
     */
    Optional<MirrorTable> find(Connection connection, String edgeTable) throws SQLException {
        Optional<MirrorTable> known = tables.get(edgeTable);
        if (known != null) {
            return known;
        }
        Optional<MirrorTable> found = load(connection, edgeTable);
        tables.put(edgeTable, found);
        return found;
    }

    private static Optional<MirrorTable> load(Connection connection, String edgeTable) throws SQLException {
        String[] parts = edgeTable.split("\\.", 2);
        if (parts.length != 2 || OWN.contains(edgeTable)) {
            return Optional.empty();
        }
        List<MirrorTable.Column> columns = new ArrayList<>();
        boolean siteKey = false;
        try (PreparedStatement query = connection.prepareStatement(COLUMNS)) {
            query.setString(1, parts[0]);
            query.setString(2, parts[1]);
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    String name = rows.getString(1);
                    if ("site_id".equals(name)) {
                        siteKey = rows.getBoolean(3);
                    } else if (!MirrorTable.RESERVED.contains(name)) {
                        columns.add(new MirrorTable.Column(name, rows.getString(2), rows.getBoolean(3)));
                    }
                }
            }
        }
        if (!siteKey || columns.stream().noneMatch(MirrorTable.Column::key)) {
            return Optional.empty();
        }
        return Optional.of(new MirrorTable(MirrorTable.quote(parts[0]) + "." + MirrorTable.quote(parts[1]), columns));
    }
}
