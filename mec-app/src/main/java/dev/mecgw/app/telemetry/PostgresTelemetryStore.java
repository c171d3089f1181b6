package dev.mecgw.app.telemetry;

import dev.mecgw.app.store.Jdbc;
import java.sql.PreparedStatement;
import java.sql.Timestamp;
import java.util.List;
import javax.sql.DataSource;

/**
 * {@link TelemetryStore} on PostgreSQL. A batch goes in as one {@code INSERT ... SELECT FROM unnest(...)}
 * with four array parameters: one round trip and one commit per batch whatever its size, and unlike COPY
 * it can skip duplicates with {@code ON CONFLICT DO NOTHING}.
 */
public class PostgresTelemetryStore implements TelemetryStore {

    private static final String INSERT = "INSERT INTO telemetry (device_id, metric, ts, value)"
            + " SELECT * FROM unnest(?::text[], ?::text[], ?::timestamptz[], ?::float8[])"
            + " ON CONFLICT DO NOTHING";

    private final Jdbc jdbc;

    public PostgresTelemetryStore(DataSource dataSource) {
        this.jdbc = new Jdbc(dataSource, "Telemetry store");
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
        for (int i = 0; i < n; i++) {
            Reading r = batch.get(i);
            devices[i] = r.deviceId();
            metrics[i] = r.metric();
            times[i] = Timestamp.from(r.ts());
            values[i] = r.value();
        }
        return jdbc.withConnection(c -> {
            c.setAutoCommit(true);
            try (PreparedStatement ps = c.prepareStatement(INSERT)) {
                ps.setArray(1, c.createArrayOf("text", devices));
                ps.setArray(2, c.createArrayOf("text", metrics));
                ps.setArray(3, c.createArrayOf("timestamptz", times));
                ps.setArray(4, c.createArrayOf("float8", values));
                return ps.executeUpdate();
            }
        });
    }

    @Override
    public List<Reading> query(
            String deviceId, String metric, java.time.Instant from, java.time.Instant to, int limit) {
        String sql = "SELECT device_id, metric, ts, value FROM telemetry WHERE device_id = ?"
                + " AND (?::text IS NULL OR metric = ?)"
                + " AND (?::timestamptz IS NULL OR ts >= ?) AND (?::timestamptz IS NULL OR ts < ?)"
                + " ORDER BY ts DESC, metric LIMIT ?";
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
                        rs.getString(1), rs.getString(2), rs.getTimestamp(3).toInstant(), rs.getDouble(4)));
    }
}
