package dev.mecgw.app.console.overview;

import java.sql.SQLException;
import javax.sql.DataSource;

/**
 * How many devices are registered and how many are online, and how many warnings and alarms are active: two counts,
 * the second an index-only scan of the partial index of active alarms ({@code events_active_groups_idx}).
 */
final class DeviceCounts {

    private final DataSource dataSource;

    DeviceCounts(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** @return {online, total, active alarms}; blocking (JDBC) */
    long[] count() {
        try (var connection = dataSource.getConnection();
                var statement = connection.createStatement();
                var rows = statement.executeQuery("SELECT count(*) FILTER (WHERE online), count(*),"
                        + " (SELECT count(*) FROM events WHERE cleared_at IS NULL AND severity IN ('warning', 'alarm'))"
                        + " FROM devices")) {
            rows.next();
            return new long[] {rows.getLong(1), rows.getLong(2), rows.getLong(3)};
        } catch (SQLException e) {
            throw new IllegalStateException("device counts unavailable", e);
        }
    }
}
