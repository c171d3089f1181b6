package dev.mecgw.app.sync;

import dev.mecgw.app.store.Jdbc;
import java.sql.PreparedStatement;
import java.sql.Timestamp;
import java.time.Instant;
import javax.sql.DataSource;

/**
 * Maintains {@code telemetry_rollup_1m} (min/max/avg/count per device, metric and minute) from raw telemetry.
 * Each run recomputes the closed minutes since {@code from}, and also every older minute that a reading received
 * since {@code from} belongs to (issue 14 item 5: a sensor that buffered through an outage delivers hours late),
 * back to the raw retention; rows whose aggregate did not change are not rewritten, so they cause no WAL and no
 * cloud traffic.
 */
public final class TelemetryRollup {

    /**
     * Readings fit for aggregates: a reading its source flagged invalid or not topical (issue 21, IEC 104 quality)
     * stays in the raw table with its flag but is not averaged into the replicated rollup as if it were clean.
     */
    private static final String FIT = fit("quality");

    private static final String SQL = "INSERT INTO telemetry_rollup_1m AS r (device_id, metric, minute, min, max,"
            + " avg, count) SELECT device_id, metric, date_trunc('minute', ts), min(value), max(value), avg(value),"
            + " count(*) FROM telemetry WHERE ts >= ? AND ts < ? AND " + FIT + " GROUP BY 1, 2, 3"
            + " ON CONFLICT (device_id, metric, minute) DO UPDATE SET min = EXCLUDED.min, max = EXCLUDED.max,"
            + " avg = EXCLUDED.avg, count = EXCLUDED.count"
            + " WHERE (r.min, r.max, r.avg, r.count) IS DISTINCT FROM (EXCLUDED.min, EXCLUDED.max, EXCLUDED.avg,"
            + " EXCLUDED.count)";

    /** Minutes before the look-back window that readings received within it belong to (their arrival time). */
    private static final String LATE_SQL = "INSERT INTO telemetry_rollup_1m AS r (device_id, metric, minute, min, max,"
            + " avg, count) SELECT t.device_id, t.metric, late.minute, min(t.value), max(t.value), avg(t.value),"
            + " count(*) FROM (SELECT DISTINCT device_id, metric, date_trunc('minute', ts) AS minute FROM telemetry"
            + " WHERE received_at >= ? AND ts < ? AND ts >= ?) late JOIN telemetry t ON t.device_id = late.device_id"
            + " AND t.metric = late.metric AND t.ts >= late.minute AND t.ts < late.minute + interval '1 minute'"
            + " AND " + fit("t.quality") + " GROUP BY 1, 2, 3"
            + " ON CONFLICT (device_id, metric, minute) DO UPDATE SET min = EXCLUDED.min, max = EXCLUDED.max,"
            + " avg = EXCLUDED.avg, count = EXCLUDED.count"
            + " WHERE (r.min, r.max, r.avg, r.count) IS DISTINCT FROM (EXCLUDED.min, EXCLUDED.max, EXCLUDED.avg,"
            + " EXCLUDED.count)";

    private final Jdbc jdbc;

    /** 192 = 0x80 invalid | 0x40 not topical ({@code Reading.UNFIT}; NULL is good, see V160). */
    private static String fit(String column) {
        return "(" + column + " IS NULL OR " + column + " & 192 = 0)";
    }

    /** @param dataSource the local store */
    public TelemetryRollup(DataSource dataSource) {
        this.jdbc = new Jdbc(dataSource, "Telemetry rollup store");
    }

    /**
     * @param from start of the first minute to (re)compute, inclusive; readings received since then that belong
     *     to earlier minutes have those minutes recomputed too
     * @param until end, exclusive; pass the start of the current minute so open minutes are left alone
     * @param oldest the oldest minute worth recomputing (raw retention drops older readings)
     * @return rollup rows inserted or changed
     * @throws dev.mecgw.app.problem.GatewayException UNAVAILABLE when the store cannot be written
     */
    public int refresh(Instant from, Instant until, Instant oldest) {
        return jdbc.withConnection(connection -> {
            try (PreparedStatement recent = connection.prepareStatement(SQL);
                    PreparedStatement late = connection.prepareStatement(LATE_SQL)) {
                recent.setTimestamp(1, Timestamp.from(from));
                recent.setTimestamp(2, Timestamp.from(until));
                late.setTimestamp(1, Timestamp.from(from));
                late.setTimestamp(2, Timestamp.from(from));
                late.setTimestamp(3, Timestamp.from(oldest));
                return recent.executeUpdate() + late.executeUpdate();
            }
        });
    }
}
