package dev.mecgw.app.console.overview;

import java.sql.SQLException;
import javax.sql.DataSource;

/** How many devices are registered and how many are online: one indexed count over the registry. */
final class DeviceCounts {

    private final DataSource dataSource;

    DeviceCounts(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** @return {online, total}; blocking (JDBC) */
    long[] count() {
        try (var connection = dataSource.getConnection();
                var statement = connection.createStatement();
                var rows = statement.executeQuery("SELECT count(*) FILTER (WHERE online), count(*) FROM devices")) {
            rows.next();
            return new long[] {rows.getLong(1), rows.getLong(2)};
        } catch (SQLException e) {
            throw new IllegalStateException("device counts unavailable", e);
        }
    }
}
