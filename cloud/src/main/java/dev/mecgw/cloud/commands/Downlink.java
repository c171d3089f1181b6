package dev.mecgw.cloud.commands;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mecgw.cloud.problem.CloudException;
import dev.mecgw.cloud.problem.ErrorKind;
import dev.mecgw.cloud.store.Transactions;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import javax.sql.DataSource;
import org.apache.kafka.clients.producer.Producer;

/**
 * Sends commands and desired twin state to one device of one site on {@code <siteId>.downlink} (CONTRACT sync 3),
 * and reports their status from the site's mirrored {@code mecgw_downlink_applied}. A message is committed to
 * {@code cloud_commands} first and sent after the commit ({@link DownlinkOutbox}): accepted means durable in the
 * cloud database; a rolled-back request never reaches a site, and one that Kafka did not confirm (Kafka down, a crash
 * after the commit) is sent by {@link #resendUnsent}. It reports {@code queued} until the site's status row arrives.
 * Thread-safe.
 */
public final class Downlink {

    /** How long a request waits for Kafka after its commit; the resend loop leaves younger rows alone. */
    public static final Duration SEND_TIMEOUT = Duration.ofSeconds(15);

    private static final int RESEND_BATCH = 500;
    private static final String INSERT = "INSERT INTO cloud_commands (site_id, id, kind, device_id, name, payload,"
            + " version, expires_at) VALUES (?, ?, ?, ?, ?, CAST(? AS jsonb), ?, ?)";

    private final DataSource dataSource;
    private final DownlinkOutbox outbox;
    private final Clock clock;

    /**
     * @param dataSource the cloud database
     * @param producer the Kafka producer; shared, not closed here
     * @param clock decides expiry
     */
    public Downlink(DataSource dataSource, Producer<String, byte[]> producer, Clock clock) {
        this.dataSource = dataSource;
        this.outbox = new DownlinkOutbox(dataSource, producer, SEND_TIMEOUT);
        this.clock = clock;
    }

    /**
     * @param siteId the site
     * @param deviceId a device in the site's mirrored registry
     * @param name the command name ({@code devices/{id}/commands/{name}} at the edge)
     * @param payload the command's arguments
     * @param ttl how long the site keeps trying to deliver it
     * @return the accepted message, committed and sent (or, when Kafka did not confirm within the send timeout,
     *     left for the resend loop)
     * @throws CloudException NOT_FOUND for a device the site has not replicated, UNAVAILABLE when the database does
     *     not take it (then nothing is sent)
     */
    public Accepted command(String siteId, String deviceId, String name, JsonNode payload, Duration ttl) {
        DownlinkMessage message = new DownlinkMessage(
                siteId,
                UUID.randomUUID().toString(),
                "command",
                deviceId,
                name,
                payload,
                null,
                clock.instant().plus(ttl));
        inTransaction(connection -> {
            requireDevice(connection, siteId, deviceId);
            insert(connection, message);
            return null;
        });
        outbox.send(message);
        return new Accepted(message.id(), null);
    }

    /**
     * @param siteId the site
     * @param deviceId a device in the site's mirrored registry
     * @param desired the desired state
     * @return the accepted message with its version: above both the site's replicated desired version and every
     *     version this cloud sent before, so the site never takes it for a stale one
     * @throws CloudException NOT_FOUND for an unknown device, UNAVAILABLE when the database fails (nothing sent)
     */
    public Accepted desired(String siteId, String deviceId, JsonNode desired) {
        String id = UUID.randomUUID().toString();
        DownlinkMessage message = inTransaction(connection -> {
            requireDevice(connection, siteId, deviceId);
            DownlinkMessage versioned = new DownlinkMessage(
                    siteId, id, "desired", deviceId, null, desired, nextVersion(connection, siteId, deviceId), null);
            insert(connection, versioned);
            return versioned;
        });
        outbox.send(message);
        return new Accepted(id, message.version());
    }

    /**
     * Sends again what was committed but not confirmed by Kafka (Kafka was down, or an instance stopped between
     * commit and send): on start and periodically, from every instance.
     *
     * @param olderThan leaves rows younger than this to the request that is sending them
     * @return how many Kafka confirmed
     * @throws CloudException UNAVAILABLE when the database fails
     */
    public int resendUnsent(Duration olderThan) {
        try {
            return outbox.resend(olderThan, RESEND_BATCH);
        } catch (SQLException e) {
            throw CloudException.unavailable("The cloud database is unavailable", e);
        }
    }

    /**
     * @param siteId the site
     * @param id a message id returned by {@link #command} or {@link #desired}
     * @return its status
     * @throws CloudException NOT_FOUND for an id this cloud did not send to the site
     */
    public CommandStatus status(String siteId, String id) {
        return inTransaction(connection -> {
            try (PreparedStatement query = connection.prepareStatement(
                    "SELECT c.kind, c.device_id, c.version, c.created_at, c.expires_at, a.outcome, a.reason,"
                            + " coalesce(a.updated_at, a.applied_at) FROM cloud_commands c"
                            + " LEFT JOIN mecgw_downlink_applied a ON a.site_id = c.site_id AND a.id = c.id"
                            + " AND NOT a.deleted WHERE c.site_id = ? AND c.id = ?")) {
                query.setString(1, siteId);
                query.setString(2, id);
                try (ResultSet row = query.executeQuery()) {
                    if (!row.next()) {
                        throw CloudException.notFound("Command " + id + " of site " + siteId);
                    }
                    Instant expiresAt = instant(row, 5);
                    String outcome = row.getString(6);
                    return new CommandStatus(
                            id,
                            row.getString(1),
                            row.getString(2),
                            statusOf(outcome, expiresAt, clock.instant()),
                            row.getString(7),
                            (Long) row.getObject(3),
                            instant(row, 4),
                            expiresAt,
                            instant(row, 8));
                }
            }
        });
    }

    /** The reported outcome; without one, {@code expired} once past the expiry, else {@code queued}. */
    static String statusOf(String outcome, Instant expiresAt, Instant now) {
        if (outcome != null) {
            return outcome;
        }
        return expiresAt != null && now.isAfter(expiresAt) ? "expired" : "queued";
    }

    private static void requireDevice(Connection connection, String siteId, String deviceId) throws SQLException {
        try (PreparedStatement query =
                connection.prepareStatement("SELECT 1 FROM devices WHERE site_id = ? AND id = ? AND NOT deleted")) {
            query.setString(1, siteId);
            query.setString(2, deviceId);
            try (ResultSet row = query.executeQuery()) {
                if (!row.next()) {
                    throw new CloudException(
                            ErrorKind.NOT_FOUND,
                            "Device " + deviceId + " is not in the registry that site " + siteId
                                    + " replicated; register it at the site first",
                            List.of(),
                            null);
                }
            }
        }
    }

    private static long nextVersion(Connection connection, String siteId, String deviceId) throws SQLException {
        try (PreparedStatement query = connection.prepareStatement(
                "SELECT greatest(coalesce((SELECT desired_version FROM device_twins WHERE site_id = ?"
                        + " AND device_id = ? AND NOT deleted), 0), coalesce((SELECT max(version) FROM"
                        + " cloud_commands WHERE site_id = ? AND device_id = ? AND kind = 'desired'), 0)) + 1")) {
            query.setString(1, siteId);
            query.setString(2, deviceId);
            query.setString(3, siteId);
            query.setString(4, deviceId);
            try (ResultSet row = query.executeQuery()) {
                row.next();
                return row.getLong(1);
            }
        }
    }

    private static void insert(Connection connection, DownlinkMessage message) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement(INSERT)) {
            insert.setString(1, message.siteId());
            insert.setString(2, message.id());
            insert.setString(3, message.kind());
            insert.setString(4, message.deviceId());
            insert.setString(5, message.name());
            insert.setString(6, message.payload().toString());
            if (message.version() == null) {
                insert.setNull(7, Types.BIGINT);
            } else {
                insert.setLong(7, message.version());
            }
            insert.setTimestamp(8, message.expiresAt() == null ? null : Timestamp.from(message.expiresAt()));
            insert.executeUpdate();
        }
    }

    private <T> T inTransaction(Transactions.Work<T> work) {
        try {
            return Transactions.run(dataSource, work);
        } catch (SQLException e) {
            if ("23505".equals(e.getSQLState())) {
                throw new CloudException(
                        ErrorKind.CONFLICT, "A concurrent desired-state change won; retry", List.of(), e);
            }
            throw CloudException.unavailable("The cloud database is unavailable", e);
        }
    }

    private static Instant instant(ResultSet row, int column) throws SQLException {
        Timestamp value = row.getTimestamp(column);
        return value == null ? null : value.toInstant();
    }
}
