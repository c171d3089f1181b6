package dev.mecgw.sync.cdc;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Clock;

/**
 * The generation of the edge database (issue 14.2, docs/sync.md "Ordering across restores"). Its identity is
 * PostgreSQL's system identifier (new for every {@code initdb}, so for a server restored from a dump) and timeline
 * (new after a point-in-time recovery). The first time a capture meets an identity it records it in
 * {@code mecgw_sync_generation} with generation = max(now in epoch ms, greatest generation so far + 1), so that the
 * generations of one site's databases order by when the gateway first saw them, also when a dump carried the table
 * of an earlier database along. A new identity also forgets the stored capture offsets: they are positions in
 * another database's WAL, so every capture starts over with a snapshot, which the cloud's ordering rule accepts
 * because the snapshot rows carry the new, greater generation.
 */
final class PostgresGeneration {

    static final String TABLE = "mecgw_sync_generation";

    private PostgresGeneration() {}

    /**
     * @param connection the captured database (any role may read {@code pg_control_system()}); its auto-commit
     *     setting is restored
     * @param clock the time source of a new generation
     * @return the database's generation, greater than 0
     * @throws SQLException when the database cannot be read or written
     */
    public static long resolve(Connection connection, Clock clock) throws SQLException {
        boolean autoCommit = connection.getAutoCommit();
        connection.setAutoCommit(false);
        try (Statement statement = connection.createStatement()) {
            // Both captures resolve at start: serialize, so that one identity gets one generation.
            statement.execute("SELECT pg_advisory_xact_lock(hashtext('" + TABLE + "'))");
            statement.execute("CREATE TABLE IF NOT EXISTS " + TABLE + " (identity text PRIMARY KEY,"
                    + " generation bigint NOT NULL UNIQUE, first_seen timestamptz NOT NULL)");
            String identity = identity(statement);
            Long known = known(connection, identity);
            long generation = known != null ? known : record(connection, statement, identity, clock);
            connection.commit();
            return generation;
        } catch (SQLException e) {
            connection.rollback();
            throw e;
        } finally {
            connection.setAutoCommit(autoCommit);
        }
    }

    static String identity(Statement statement) throws SQLException {
        try (ResultSet row = statement.executeQuery("SELECT s.system_identifier, c.timeline_id"
                + " FROM pg_control_system() s, pg_control_checkpoint() c")) {
            row.next();
            return row.getLong(1) + "/" + row.getInt(2);
        }
    }

    private static Long known(Connection connection, String identity) throws SQLException {
        try (PreparedStatement select =
                connection.prepareStatement("SELECT generation FROM " + TABLE + " WHERE identity = ?")) {
            select.setString(1, identity);
            try (ResultSet row = select.executeQuery()) {
                return row.next() ? row.getLong(1) : null;
            }
        }
    }

    private static long record(Connection connection, Statement statement, String identity, Clock clock)
            throws SQLException {
        long greatest;
        try (ResultSet row = statement.executeQuery("SELECT coalesce(max(generation), 0) FROM " + TABLE)) {
            row.next();
            greatest = row.getLong(1);
        }
        long generation = Math.max(clock.millis(), greatest + 1);
        try (PreparedStatement insert = connection.prepareStatement(
                "INSERT INTO " + TABLE + " (identity, generation, first_seen) VALUES (?, ?, ?)")) {
            insert.setString(1, identity);
            insert.setLong(2, generation);
            insert.setTimestamp(3, new Timestamp(clock.millis()));
            insert.executeUpdate();
        }
        PostgresOffsetBackingStore.createTableInTransaction(statement);
        statement.execute("DELETE FROM " + PostgresOffsetBackingStore.TABLE);
        return generation;
    }
}
