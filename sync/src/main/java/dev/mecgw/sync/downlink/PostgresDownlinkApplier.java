package dev.mecgw.sync.downlink;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;

/**
 * Applies downlink messages to the local store, each exactly once: the message id is recorded in
 * {@code mecgw_downlink_applied} in the same transaction as its effect. That table is replicated like any critical
 * table, which is how the cloud sees the acknowledgement. Conflict rule: for <em>desired</em> state the cloud's
 * version wins (a newer cloud version overwrites, an older one is ignored); <em>reported</em> state is never touched
 * here, the edge owns it.
 */
public final class PostgresDownlinkApplier {

    /** Outcome of one message. */
    public enum Outcome {
        /** Its effect was written. */
        APPLIED,
        /** Seen before, or its desired version is not newer: acknowledged without effect. */
        IGNORED
    }

    private final DataSource dataSource;

    /** @param dataSource the local store (with the foundation's {@code device_twins} and {@code events} tables) */
    public PostgresDownlinkApplier(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /**
     * Creates the acknowledgement table when missing.
     *
     * @throws SQLException when the store cannot be reached
     */
    public void createSchema() throws SQLException {
        try (Connection connection = dataSource.getConnection();
                Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE IF NOT EXISTS mecgw_downlink_applied (id text PRIMARY KEY,"
                    + " kind text NOT NULL, device_id text NOT NULL, version bigint NOT NULL, outcome text NOT NULL,"
                    + " applied_at timestamptz NOT NULL DEFAULT now())");
        }
    }

    /**
     * @param message the message
     * @return what happened
     * @throws SQLException when the store cannot be written; nothing of the message is then applied
     */
    public Outcome apply(DownlinkMessage message) throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            try {
                Outcome outcome = applyIn(connection, message);
                connection.commit();
                return outcome;
            } catch (SQLException e) {
                connection.rollback();
                throw e;
            }
        }
    }

    private static Outcome applyIn(Connection connection, DownlinkMessage message) throws SQLException {
        try (PreparedStatement seen = connection.prepareStatement(
                "INSERT INTO mecgw_downlink_applied"
                        + " (id, kind, device_id, version, outcome) VALUES (?, ?, ?, ?, 'pending') ON CONFLICT (id) DO NOTHING")) {
            seen.setString(1, message.id());
            seen.setString(2, message.kind().name().toLowerCase());
            seen.setString(3, message.deviceId());
            seen.setLong(4, message.version());
            if (seen.executeUpdate() == 0) {
                return Outcome.IGNORED;
            }
        }
        boolean applied = message.kind() == DownlinkMessage.Kind.DESIRED
                ? desired(connection, message)
                : command(connection, message);
        Outcome outcome = applied ? Outcome.APPLIED : Outcome.IGNORED;
        try (PreparedStatement done =
                connection.prepareStatement("UPDATE mecgw_downlink_applied SET outcome = ? WHERE id = ?")) {
            done.setString(1, outcome.name().toLowerCase());
            done.setString(2, message.id());
            done.executeUpdate();
        }
        return outcome;
    }

    private static boolean desired(Connection connection, DownlinkMessage message) throws SQLException {
        // Desired state for a device this site does not know is acknowledged without effect.
        try (PreparedStatement update = connection.prepareStatement("INSERT INTO device_twins (device_id, desired,"
                + " desired_version, updated_at) SELECT id, ?::jsonb, ?, now() FROM devices WHERE id = ?"
                + " ON CONFLICT (device_id) DO UPDATE"
                + " SET desired = EXCLUDED.desired, desired_version = EXCLUDED.desired_version, updated_at = now()"
                + " WHERE device_twins.desired_version < EXCLUDED.desired_version")) {
            update.setString(1, message.payload());
            update.setLong(2, message.version());
            update.setString(3, message.deviceId());
            return update.executeUpdate() == 1;
        }
    }

    private static boolean command(Connection connection, DownlinkMessage message) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement("INSERT INTO events (device_id, kind, payload)"
                + " VALUES (?, 'command', jsonb_build_object('id', ?::text, 'command', ?::jsonb))")) {
            insert.setString(1, message.deviceId());
            insert.setString(2, message.id());
            insert.setString(3, message.payload());
            return insert.executeUpdate() == 1;
        }
    }
}
