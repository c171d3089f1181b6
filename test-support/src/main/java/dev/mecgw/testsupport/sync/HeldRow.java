package dev.mecgw.testsupport.sync;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;

/**
 * A transaction left open after writing a row, so that a writer of the same row under test waits for it: a test
 * holds the writer at a known point (e.g. while a backhaul fails), then {@link #close()} rolls back and lets it go on.
 */
public final class HeldRow implements AutoCloseable {

    private final EmbeddedPostgres db;
    private final Connection connection;

    private HeldRow(EmbeddedPostgres db, Connection connection) {
        this.db = db;
        this.connection = connection;
    }

    /**
     * @param db the database
     * @param sql the write, e.g. an insert of the row the code under test will insert too
     * @param parameters its text parameters, in order
     * @return the open transaction
     */
    public static HeldRow hold(EmbeddedPostgres db, String sql, String... parameters) throws SQLException {
        Connection connection = SyncFixture.connect(db);
        try {
            connection.setAutoCommit(false);
            try (PreparedStatement write = connection.prepareStatement(sql)) {
                for (int i = 0; i < parameters.length; i++) {
                    write.setString(i + 1, parameters[i]);
                }
                write.executeUpdate();
            }
            return new HeldRow(db, connection);
        } catch (SQLException e) {
            connection.close();
            throw e;
        }
    }

    /**
     * Asks on a connection of its own: PostgreSQL keeps one snapshot of its activity view per transaction.
     *
     * @param statementPrefix how the waiting statement starts, e.g. {@code INSERT INTO t}
     * @return whether a statement so starting waits for a lock now
     */
    public boolean blocks(String statementPrefix) throws SQLException {
        return SyncFixture.queryLong(
                        db,
                        "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND query LIKE '"
                                + statementPrefix.replace("'", "''") + "%'")
                > 0;
    }

    /** Rolls back: the waiting writer goes on. */
    @Override
    public void close() throws SQLException {
        try {
            connection.rollback();
        } finally {
            connection.close();
        }
    }
}
