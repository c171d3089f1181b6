package dev.mecgw.sync.policy;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Collection;
import javax.sql.DataSource;

/**
 * Checks row filters against the local database at start-up, so that a filter naming a missing column or comparing
 * a column with a literal of the wrong type stops the gateway with a clear message instead of dropping or leaking
 * rows later. PostgreSQL plans {@code SELECT 1 FROM <table> WHERE <filter> LIMIT 0}, which reads no row.
 */
final class PostgresRowFilterCheck {

    private PostgresRowFilterCheck() {}

    /**
     * @param dataSource the local database
     * @param filters the filters to check
     * @throws IllegalArgumentException naming the table, the filter and PostgreSQL's reason when one is refused
     * @throws SQLException when the database cannot be reached at all
     */
    static void verify(DataSource dataSource, Collection<RowFilter> filters) throws SQLException {
        try (Connection connection = dataSource.getConnection();
                Statement statement = connection.createStatement()) {
            for (RowFilter filter : filters) {
                String[] parts = filter.table().split("\\.", 2);
                // The SQL is rendered from the parsed filter (quoted identifiers, escaped literals), not the raw text.
                String sql = "SELECT 1 FROM " + RowPredicate.quote(parts[0]) + "." + RowPredicate.quote(parts[1])
                        + " WHERE " + filter.sql() + " LIMIT 0";
                try {
                    statement.executeQuery(sql).close();
                } catch (SQLException e) {
                    throw new IllegalArgumentException(
                            "row filter for " + filter.table() + " (\"" + filter.text()
                                    + "\") is refused by the database: " + e.getMessage(),
                            e);
                }
            }
        }
    }
}
