package dev.mecgw.app.registry;

import dev.mecgw.app.store.Jdbc;
import javax.sql.DataSource;

/**
 * How many devices are registered and how many of them are online: the one query of these counts (review 9, 4.3),
 * read by the console's overview and the cloud heartbeat. One scan of {@code devices}, one row per device.
 * Thread-safe.
 */
public final class PostgresDeviceCounts {

    private static final String SQL = "SELECT count(*) FILTER (WHERE online), count(*) FROM devices";

    /**
     * @param online registered devices that are connected now
     * @param total registered devices
     */
    public record Counts(long online, long total) {}

    private final Jdbc jdbc;

    /** @param dataSource the gateway's PostgreSQL */
    public PostgresDeviceCounts(DataSource dataSource) {
        this.jdbc = new Jdbc(dataSource, "Device counts");
    }

    /**
     * @return the counts now; blocking (JDBC)
     * @throws dev.mecgw.app.problem.GatewayException (unavailable) when the store cannot be read
     */
    public Counts count() {
        return jdbc.queryOne(SQL, Jdbc.NO_PARAMETERS, row -> new Counts(row.getLong(1), row.getLong(2)))
                .orElseThrow();
    }
}
