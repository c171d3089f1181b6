package dev.mecgw.app.sync;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import javax.sql.DataSource;

/**
 * Maintains {@code telemetry_rollup_1m} (min/max/avg/count per device, metric and minute) from raw telemetry.
 * Each run recomputes the closed minutes since {@code from}, so late readings are folded in; rows whose aggregate
 * did not change are not rewritten, so they cause no WAL and no cloud traffic.
 */
public final class TelemetryRollup {

    private static final String SQL = "INSERT INTO telemetry_rollup_1m AS r (device_id, metric, minute, min, max,"
            + " avg, count) SELECT device_id, metric, date_trunc('minute', ts), min(value), max(value), avg(value),"
            + " count(*) FROM telemetry WHERE ts >= ? AND ts < ? GROUP BY 1, 2, 3"
            + " ON CONFLICT (device_id, metric, minute) DO UPDATE SET min = EXCLUDED.min, max = EXCLUDED.max,"
            + " avg = EXCLUDED.avg, count = EXCLUDED.count"
            + " WHERE (r.min, r.max, r.avg, r.count) IS DISTINCT FROM (EXCLUDED.min, EXCLUDED.max, EXCLUDED.avg,"
            + " EXCLUDED.count)";

    private final DataSource dataSource;

    /** @param dataSource the local store */
    public TelemetryRollup(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /**
     * @param from start of the first minute to (re)compute, inclusive
     * @param until end, exclusive; pass the start of the current minute so open minutes are left alone
     * @return rollup rows inserted or changed
     * @throws SQLException when the store cannot be written
     */
    public int refresh(Instant from, Instant until) throws SQLException {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement statement = connection.prepareStatement(SQL)) {
            statement.setTimestamp(1, Timestamp.from(from));
            statement.setTimestamp(2, Timestamp.from(until));
            return statement.executeUpdate();
        }
    }
}
