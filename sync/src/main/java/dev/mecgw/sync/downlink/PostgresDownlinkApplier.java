package dev.mecgw.sync.downlink;

import dev.mecgw.sync.kafka.StoreRefusal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Instant;
import java.util.regex.Pattern;
import javax.sql.DataSource;

/**
 * Applies downlink messages to the local store, each exactly once: the message id is recorded in
 * {@code mecgw_downlink_applied} in the same transaction as its effect. That table is replicated like any critical
 * table, which is how the cloud sees each message's status (CONTRACT-sync §3).
 *
 * <p>A command is stored in the local outbox {@code mecgw_command_outbox} (its payload as jsonb and, for the device,
 * as the text received in {@code payload_text}) with outcome {@code at-site}, or recorded
 * {@code failed} with a reason (unknown device, bad name) or {@code expired} (its expiry passed before it arrived);
 * the gateway hands a stored command to the device and advances its status. Desired state follows the rule of
 * docs/sync.md ("Desired twin: cloud and local edits"): a cloud version applies when it is newer than every cloud
 * version seen for the device and its intent is not older than the current desired document's, else it is recorded
 * {@code stale} with the reason. Reported state is never touched here, the edge owns it.
 *
 * <p>A message the store refuses for good ({@link StoreRefusal#isPermanent}, e.g. a payload {@code jsonb} refuses) is
 * recorded {@code failed} in a second transaction, its reason naming only the SQLSTATE, and the refusal is then
 * thrown all the same, for the consumer loop to log, count and skip: without that row the cloud would show the
 * message as sent and never answered.
 */
final class PostgresDownlinkApplier {

    /** Outcome of one message. */
    public enum Outcome {
        /** Its effect was written (a command stored at the site, a desired state applied). */
        APPLIED,
        /** Seen before, or recorded without effect (stale, failed, expired). */
        IGNORED
    }

    /** One MQTT topic level, as for REST commands. */
    private static final Pattern COMMAND_NAME = Pattern.compile("[^/+#\\u0000]{1,128}");

    private final DataSource dataSource;
    private final DownlinkListener listener;

    /** @param dataSource the local store (with the foundation's {@code devices}, {@code device_twins}, {@code events}) */
    PostgresDownlinkApplier(DataSource dataSource) {
        this(dataSource, DownlinkListener.NONE);
    }

    /**
     * @param dataSource the local store
     * @param listener told of each newly stored message after its commit
     */
    PostgresDownlinkApplier(DataSource dataSource, DownlinkListener listener) {
        this.dataSource = dataSource;
        this.listener = listener;
    }

    /**
     * Creates the status table and the command outbox when missing (the gateway's migrations create them; this is for
     * tools and tests running the library alone).
     *
     * @throws SQLException when the store cannot be reached
     */
    public void createSchema() throws SQLException {
        try (Connection connection = dataSource.getConnection();
                Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE IF NOT EXISTS mecgw_downlink_applied (id text PRIMARY KEY,"
                    + " kind text NOT NULL, device_id text NOT NULL, version bigint NOT NULL, outcome text NOT NULL,"
                    + " applied_at timestamptz NOT NULL DEFAULT now())");
            statement.execute("ALTER TABLE mecgw_downlink_applied ADD COLUMN IF NOT EXISTS reason text");
            statement.execute("ALTER TABLE mecgw_downlink_applied ADD COLUMN IF NOT EXISTS updated_at timestamptz"
                    + " NOT NULL DEFAULT now()");
            statement.execute("CREATE TABLE IF NOT EXISTS mecgw_command_outbox (id text PRIMARY KEY,"
                    + " device_id text NOT NULL, name text NOT NULL, payload jsonb NOT NULL, expires_at timestamptz,"
                    + " handed_at timestamptz, created_at timestamptz NOT NULL DEFAULT now())");
            statement.execute("ALTER TABLE mecgw_command_outbox ADD COLUMN IF NOT EXISTS payload_text text");
        }
    }

    /**
     * @param message the message
     * @return what happened
     * @throws SQLException when the store cannot be written; nothing of the message is then applied. A refusal for good
     *     is thrown after the message was recorded {@code failed} (or, when that record is refused too, with its
     *     failure suppressed); when recording it fails for a reason a retry can fix, that failure is thrown instead, so
     *     that the whole message is retried
     */
    public Outcome apply(DownlinkMessage message) throws SQLException {
        Recorded recorded;
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            try {
                recorded = applyIn(connection, message);
                connection.commit();
            } catch (SQLException e) {
                // A failed rollback must not hide why the transaction failed: the loop judges that cause.
                try {
                    connection.rollback();
                } catch (SQLException rollback) {
                    e.addSuppressed(rollback);
                }
                throw e;
            }
        } catch (SQLException e) {
            if (StoreRefusal.isPermanent(e)) {
                recordRefused(message, e);
            }
            throw e;
        }
        if (recorded == null) {
            return Outcome.IGNORED;
        }
        listener.onStored(message, recorded.outcome);
        return recorded.effect ? Outcome.APPLIED : Outcome.IGNORED;
    }

    /**
     * Records a message the store refused for good as {@code failed}, on its own (auto-committed) connection. The
     * listener is not told: nothing was stored for the site to hand over. The reason carries the SQLSTATE only:
     * PostgreSQL's message can quote the refused value, and this row is replicated to the cloud.
     */
    private void recordRefused(DownlinkMessage message, SQLException refusal) throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            recordFirst(
                    connection,
                    message,
                    "failed",
                    "refused by the site's store (SQLSTATE " + StoreRefusal.sqlState(refusal) + ")");
        } catch (SQLException e) {
            if (!StoreRefusal.isPermanent(e)) {
                // Store unavailable: the loop retries the whole message, which is refused again and then recorded.
                e.addSuppressed(refusal);
                throw e;
            }
            // The id or device id itself is what the store refuses: no row can say so; the loop logs and counts it.
            refusal.addSuppressed(e);
        }
    }

    private static Recorded applyIn(Connection connection, DownlinkMessage message) throws SQLException {
        if (!recordFirst(connection, message, "received", null)) {
            return null;
        }
        Recorded recorded = message.kind() == DownlinkMessage.Kind.DESIRED
                ? desired(connection, message)
                : command(connection, message);
        try (PreparedStatement done = connection.prepareStatement(
                "UPDATE mecgw_downlink_applied SET outcome = ?, reason = ?, updated_at = now() WHERE id = ?")) {
            done.setString(1, recorded.outcome);
            done.setString(2, recorded.reason);
            done.setString(3, message.id());
            done.executeUpdate();
        }
        return recorded;
    }

    /** Inserts the message's status row unless its id has one; returns whether it inserted it. */
    private static boolean recordFirst(Connection connection, DownlinkMessage message, String outcome, String reason)
            throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement("INSERT INTO mecgw_downlink_applied"
                + " (id, kind, device_id, version, outcome, reason) VALUES (?, ?, ?, ?, ?, ?)"
                + " ON CONFLICT (id) DO NOTHING")) {
            insert.setString(1, message.id());
            insert.setString(2, message.kind().name().toLowerCase());
            insert.setString(3, message.deviceId());
            insert.setLong(4, message.version());
            insert.setString(5, outcome);
            insert.setString(6, reason);
            return insert.executeUpdate() == 1;
        }
    }

    private static Recorded desired(Connection connection, DownlinkMessage message) throws SQLException {
        // Intent time: the cloud's issue time when the message carries one, else its arrival here.
        try (PreparedStatement update = connection.prepareStatement("INSERT INTO device_twins (device_id, desired,"
                + " desired_version, cloud_version, desired_at, desired_origin, updated_at)"
                + " SELECT id, ?::jsonb, 1, ?, coalesce(?, now()), 'cloud', now() FROM devices WHERE id = ?"
                + " ON CONFLICT (device_id) DO UPDATE SET desired = EXCLUDED.desired,"
                + " desired_version = device_twins.desired_version + 1, cloud_version = EXCLUDED.cloud_version,"
                + " desired_at = EXCLUDED.desired_at, desired_origin = 'cloud', updated_at = now()"
                + " WHERE device_twins.cloud_version < EXCLUDED.cloud_version"
                + " AND (device_twins.desired_at IS NULL OR device_twins.desired_at <= EXCLUDED.desired_at)")) {
            update.setString(1, message.payload());
            update.setLong(2, message.version());
            setInstant(update, 3, message.issuedAt());
            update.setString(4, message.deviceId());
            if (update.executeUpdate() == 1) {
                return new Recorded("applied", null, true);
            }
        }
        return new Recorded("stale", whyStale(connection, message), false);
    }

    /** Names why a cloud version did not apply, and records the version as seen. */
    private static String whyStale(Connection connection, DownlinkMessage message) throws SQLException {
        try (PreparedStatement seen = connection.prepareStatement("UPDATE device_twins AS t"
                + " SET cloud_version = greatest(t.cloud_version, ?)"
                + " FROM device_twins AS before WHERE t.device_id = ? AND before.device_id = t.device_id"
                + " RETURNING before.cloud_version, before.desired_at")) {
            seen.setLong(1, message.version());
            seen.setString(2, message.deviceId());
            try (ResultSet row = seen.executeQuery()) {
                if (!row.next()) {
                    return "unknown device";
                }
                long cloudVersion = row.getLong(1);
                if (cloudVersion >= message.version()) {
                    return "cloud version " + cloudVersion + " already applied";
                }
                return "a newer local edit (at " + row.getTimestamp(2).toInstant() + ") wins";
            }
        }
    }

    private static Recorded command(Connection connection, DownlinkMessage message) throws SQLException {
        if (message.name() == null || !COMMAND_NAME.matcher(message.name()).matches()) {
            return new Recorded("failed", "command name must be one topic level", false);
        }
        if (!deviceExists(connection, message.deviceId())) {
            return new Recorded("failed", "unknown device " + message.deviceId(), false);
        }
        try (PreparedStatement audit = connection.prepareStatement("INSERT INTO events (device_id, kind, payload)"
                + " VALUES (?, 'command', jsonb_build_object('id', ?::text, 'name', ?::text, 'command', ?::jsonb,"
                + " 'origin', 'cloud'))")) {
            audit.setString(1, message.deviceId());
            audit.setString(2, message.id());
            audit.setString(3, message.name());
            audit.setString(4, message.payload());
            audit.executeUpdate();
        }
        if (message.expiresAt() != null && !message.expiresAt().isAfter(Instant.now())) {
            return new Recorded("expired", "expired before it reached the site", false);
        }
        // payload_text keeps the text as received: jsonb would give the device PostgreSQL's rewriting of it.
        try (PreparedStatement outbox = connection.prepareStatement("INSERT INTO mecgw_command_outbox"
                + " (id, device_id, name, payload, payload_text, expires_at) VALUES (?, ?, ?, ?::jsonb, ?, ?)")) {
            outbox.setString(1, message.id());
            outbox.setString(2, message.deviceId());
            outbox.setString(3, message.name());
            outbox.setString(4, message.payload());
            outbox.setString(5, message.payload());
            setInstant(outbox, 6, message.expiresAt());
            outbox.executeUpdate();
        }
        return new Recorded("at-site", null, true);
    }

    private static boolean deviceExists(Connection connection, String deviceId) throws SQLException {
        try (PreparedStatement find = connection.prepareStatement("SELECT 1 FROM devices WHERE id = ?")) {
            find.setString(1, deviceId);
            try (ResultSet row = find.executeQuery()) {
                return row.next();
            }
        }
    }

    private static void setInstant(PreparedStatement statement, int index, Instant instant) throws SQLException {
        if (instant == null) {
            statement.setNull(index, Types.TIMESTAMP_WITH_TIMEZONE);
        } else {
            statement.setTimestamp(index, Timestamp.from(instant));
        }
    }

    private record Recorded(String outcome, String reason, boolean effect) {}
}
