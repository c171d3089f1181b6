package dev.mecgw.app.console.overview;

import dev.mecgw.app.store.Jdbc;
import javax.sql.DataSource;

/**
 * How many devices are registered and how many are online, and how many warnings and alarms are active: two counts,
 * the second an index-only scan of the partial index of active alarms ({@code events_active_groups_idx}).
 */
final class DeviceCounts {

    private static final String SQL = "SELECT count(*) FILTER (WHERE online), count(*),"
            + " (SELECT count(*) FROM events WHERE cleared_at IS NULL AND severity IN ('warning', 'alarm'))"
            + " FROM devices";

    private final Jdbc jdbc;

    DeviceCounts(DataSource dataSource) {
        this.jdbc = new Jdbc(dataSource, "Device counts");
    }

    /**
     * @return {online, total, active alarms}; blocking (JDBC)
     * @throws dev.mecgw.app.problem.GatewayException (unavailable) when the store cannot be read
     */
    long[] count() {
        return jdbc.queryOne(
                        SQL, Jdbc.NO_PARAMETERS, rows -> new long[] {rows.getLong(1), rows.getLong(2), rows.getLong(3)})
                .orElseThrow();
    }
}
