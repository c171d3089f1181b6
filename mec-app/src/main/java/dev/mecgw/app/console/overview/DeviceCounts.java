package dev.mecgw.app.console.overview;

import dev.mecgw.app.registry.PostgresDeviceCounts;
import dev.mecgw.app.store.Jdbc;
import javax.sql.DataSource;

/**
 * How many devices are registered and how many are online (the registry's counts), and how many warnings and alarms
 * are active: an index-only scan of the partial index of active alarms ({@code events_active_groups_idx}).
 */
final class DeviceCounts {

    private static final String ACTIVE_ALARMS =
            "SELECT count(*) FROM events WHERE cleared_at IS NULL AND severity IN ('warning', 'alarm')";

    private final PostgresDeviceCounts devices;
    private final Jdbc alarms;

    DeviceCounts(DataSource dataSource) {
        this.devices = new PostgresDeviceCounts(dataSource);
        this.alarms = new Jdbc(dataSource, "Active alarms");
    }

    /**
     * @return {online, total, active alarms}; blocking (JDBC)
     * @throws dev.mecgw.app.problem.GatewayException (unavailable) when the store cannot be read
     */
    long[] count() {
        PostgresDeviceCounts.Counts registered = devices.count();
        long active = alarms.queryOne(ACTIVE_ALARMS, Jdbc.NO_PARAMETERS, rows -> rows.getLong(1))
                .orElseThrow();
        return new long[] {registered.online(), registered.total(), active};
    }
}
