package dev.mecgw.app.ota;

import dev.mecgw.app.store.Jdbc;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * {@link HealthGate} on the device's own history: its telemetry rows per second since it installed against the
 * same length of time before it was notified, and its warning and alarm events (rollout events aside) over the
 * same two windows. A device without telemetry before the update has no rate to keep.
 */
public class PostgresHealthGate implements HealthGate {

    private static final String STORE = "Rollout health gate";
    private static final String TELEMETRY = "SELECT count(*) FROM telemetry WHERE device_id = ? AND ts >= ? AND ts < ?";
    private static final String TROUBLE = "SELECT count(*) FROM events WHERE device_id = ? AND ts >= ? AND ts < ?"
            + " AND severity IN ('warning', 'alarm') AND kind NOT LIKE 'rollout.%'";

    private final Jdbc jdbc;
    private final double minRateShare;

    /** @param minRateShare share (0-1) of its pre-update telemetry rate a device must keep */
    public PostgresHealthGate(DataSource dataSource, double minRateShare) {
        this.jdbc = new Jdbc(dataSource, STORE);
        this.minRateShare = minRateShare;
    }

    @Override
    public Optional<String> unhealthy(String deviceId, Instant updateStartedAt, Instant installedAt, Instant now) {
        Duration window = Duration.between(installedAt, now);
        if (window.isZero() || window.isNegative()) {
            return Optional.empty();
        }
        Instant baselineFrom = updateStartedAt.minus(window);
        long before = count(TELEMETRY, deviceId, baselineFrom, updateStartedAt);
        long after = count(TELEMETRY, deviceId, installedAt, now);
        if (before > 0 && after < before * minRateShare) {
            return Optional.of(String.format(
                    Locale.ROOT,
                    "telemetry fell to %d readings in %s after the update from %d before (minimum share %s)",
                    after,
                    window,
                    before,
                    minRateShare));
        }
        long troubleBefore = count(TROUBLE, deviceId, baselineFrom, updateStartedAt);
        long troubleAfter = count(TROUBLE, deviceId, installedAt, now);
        if (troubleAfter > troubleBefore) {
            return Optional.of(String.format(
                    Locale.ROOT,
                    "%d warning or alarm events after the update, %d in the same time before",
                    troubleAfter,
                    troubleBefore));
        }
        return Optional.empty();
    }

    private long count(String sql, String deviceId, Instant from, Instant to) {
        return jdbc.queryOne(
                        sql,
                        ps -> {
                            ps.setString(1, deviceId);
                            ps.setTimestamp(2, Timestamp.from(from));
                            ps.setTimestamp(3, Timestamp.from(to));
                        },
                        rs -> rs.getLong(1))
                .orElse(0L);
    }
}
