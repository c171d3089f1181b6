package dev.mecgw.app.telemetry;

import dev.mecgw.app.store.Jdbc;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.List;
import javax.sql.DataSource;

/**
 * {@link TelemetryStore} on PostgreSQL. A batch goes in as one {@code INSERT ... SELECT FROM unnest(...)}
 * with four array parameters: one round trip and one commit per batch whatever its size, and unlike COPY
 * it can skip duplicates with {@code ON CONFLICT DO NOTHING}.
 */
class PostgresTelemetryStore implements TelemetryStore {

    private static final String INSERT = "INSERT INTO telemetry (device_id, metric, ts, value, quality)"
            + " SELECT * FROM unnest(?::text[], ?::text[], ?::timestamptz[], ?::float8[], ?::int2[])"
            + " ON CONFLICT DO NOTHING";

    /**
     * Records the unit and kind of each (device, metric) in the batch and, in the same statement, an event for
     * every metric whose unit changed: both CTE branches read the table as it was before the statement.
     * Within one batch the last reading of a metric wins.
     */
    private static final String UPSERT_METRICS = "WITH incoming AS ("
            + " SELECT DISTINCT ON (d, m) d, m, u, k FROM unnest(?::text[], ?::text[], ?::text[], ?::text[], ?::int[])"
            + " AS x(d, m, u, k, i) ORDER BY d, m, i DESC),"
            + " previous AS (SELECT t.device_id, t.metric, t.unit FROM telemetry_metrics t"
            + " JOIN incoming ON t.device_id = incoming.d AND t.metric = incoming.m),"
            + " changed AS (INSERT INTO telemetry_metrics (device_id, metric, unit, kind)"
            + " SELECT d, m, u, k FROM incoming ON CONFLICT (device_id, metric) DO UPDATE"
            + " SET unit = EXCLUDED.unit, kind = EXCLUDED.kind, updated_at = now()"
            + " WHERE telemetry_metrics.unit IS DISTINCT FROM EXCLUDED.unit"
            + " OR telemetry_metrics.kind IS DISTINCT FROM EXCLUDED.kind"
            + " RETURNING device_id, metric, unit)"
            + " INSERT INTO events (device_id, kind, severity, payload)"
            + " SELECT c.device_id, 'telemetry.unit-changed', 'warning',"
            + " jsonb_build_object('metric', c.metric, 'from', p.unit, 'to', c.unit)"
            + " FROM changed c JOIN previous p ON p.device_id = c.device_id AND p.metric = c.metric"
            + " WHERE p.unit IS DISTINCT FROM c.unit";

    private final Jdbc jdbc;

    PostgresTelemetryStore(DataSource dataSource) {
        this.jdbc = new Jdbc(dataSource, NAME);
    }

    @Override
    public int append(List<Reading> batch) {
        if (batch.isEmpty()) {
            return 0;
        }
        int n = batch.size();
        String[] devices = new String[n];
        String[] metrics = new String[n];
        Timestamp[] times = new Timestamp[n];
        Double[] values = new Double[n];
        // NULL is good (V160): the column stays empty for every reading without a quality.
        Short[] qualities = new Short[n];
        for (int i = 0; i < n; i++) {
            Reading r = batch.get(i);
            devices[i] = r.deviceId();
            metrics[i] = r.metric();
            times[i] = Timestamp.from(r.ts());
            values[i] = r.value();
            qualities[i] = r.quality() == 0 ? null : (short) r.quality();
        }
        if (batch.stream().noneMatch(PostgresTelemetryStore::described)) {
            return jdbc.withConnection(c -> {
                c.setAutoCommit(true);
                return insert(c, devices, metrics, times, values, qualities);
            });
        }
        // Readings and the units they were sent in commit together (issue 23).
        return jdbc.inTransaction(c -> {
            int inserted = insert(c, devices, metrics, times, values, qualities);
            upsertMetrics(c, batch);
            return inserted;
        });
    }

    private static int insert(
            Connection c, String[] devices, String[] metrics, Timestamp[] times, Double[] values, Short[] qualities)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(INSERT)) {
            ps.setArray(1, c.createArrayOf("text", devices));
            ps.setArray(2, c.createArrayOf("text", metrics));
            ps.setArray(3, c.createArrayOf("timestamptz", times));
            ps.setArray(4, c.createArrayOf("float8", values));
            ps.setArray(5, c.createArrayOf("int2", qualities));
            return ps.executeUpdate();
        }
    }

    /** @return whether the reading says something of its metric (a unit, or a kind other than a number) */
    private static boolean described(Reading r) {
        return r.unit() != null || r.kind() != Reading.Kind.NUMBER;
    }

    /** Readings without a unit keep what the metric declared before: a plain JSON reading says nothing of it. */
    private static void upsertMetrics(Connection c, List<Reading> batch) throws SQLException {
        List<Reading> described =
                batch.stream().filter(PostgresTelemetryStore::described).toList();
        int n = described.size();
        String[] devices = new String[n];
        String[] metrics = new String[n];
        String[] units = new String[n];
        String[] kinds = new String[n];
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            Reading r = described.get(i);
            devices[i] = r.deviceId();
            metrics[i] = r.metric();
            units[i] = r.unit();
            kinds[i] = r.kind().label();
            order[i] = i;
        }
        try (PreparedStatement ps = c.prepareStatement(UPSERT_METRICS)) {
            ps.setArray(1, c.createArrayOf("text", devices));
            ps.setArray(2, c.createArrayOf("text", metrics));
            ps.setArray(3, c.createArrayOf("text", units));
            ps.setArray(4, c.createArrayOf("text", kinds));
            ps.setArray(5, c.createArrayOf("int4", order));
            ps.executeUpdate();
        }
    }

    @Override
    public List<Reading> query(
            String deviceId, String metric, java.time.Instant from, java.time.Instant to, int limit) {
        String sql = "SELECT t.device_id, t.metric, t.ts, t.value, m.unit, m.kind, t.quality FROM telemetry t"
                + " LEFT JOIN telemetry_metrics m ON m.device_id = t.device_id AND m.metric = t.metric"
                + " WHERE t.device_id = ?"
                + " AND (?::text IS NULL OR t.metric = ?)"
                + " AND (?::timestamptz IS NULL OR t.ts >= ?) AND (?::timestamptz IS NULL OR t.ts < ?)"
                + " ORDER BY t.ts DESC, t.metric LIMIT ?";
        Timestamp f = from == null ? null : Timestamp.from(from);
        Timestamp t = to == null ? null : Timestamp.from(to);
        return jdbc.queryList(
                sql,
                ps -> {
                    ps.setString(1, deviceId);
                    ps.setString(2, metric);
                    ps.setString(3, metric);
                    ps.setTimestamp(4, f);
                    ps.setTimestamp(5, f);
                    ps.setTimestamp(6, t);
                    ps.setTimestamp(7, t);
                    ps.setInt(8, limit);
                },
                rs -> new Reading(
                        rs.getString(1),
                        rs.getString(2),
                        rs.getTimestamp(3).toInstant(),
                        rs.getDouble(4),
                        rs.getString(5),
                        rs.getString(6) == null
                                ? Reading.Kind.NUMBER
                                : Reading.Kind.valueOf(rs.getString(6).toUpperCase(java.util.Locale.ROOT)),
                        rs.getInt(7)));
    }
}
