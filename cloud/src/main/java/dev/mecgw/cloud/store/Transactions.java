package dev.mecgw.cloud.store;

import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;

/**
 * One unit of work in one transaction of the cloud database: committed when it returns, rolled back when it throws.
 * The callers map a {@link SQLException} to their own error (a conflict for one, "unavailable" for all), so this
 * helper only carries the connection handling they all shared.
 */
public final class Transactions {

    private Transactions() {}

    /** Work done on one connection inside its transaction. */
    @FunctionalInterface
    public interface Work<T> {
        T run(Connection connection) throws SQLException;
    }

    /** Runs {@code work} in a transaction of its own; rolls back and rethrows on any failure. */
    public static <T> T run(DataSource dataSource, Work<T> work) throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            try {
                T result = work.run(connection);
                connection.commit();
                return result;
            } catch (SQLException | RuntimeException e) {
                connection.rollback();
                throw e;
            }
        }
    }
}
