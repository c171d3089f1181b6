package dev.mecgw.cloud.commands;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mecgw.cloud.problem.CloudException;
import dev.mecgw.cloud.problem.ErrorKind;
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
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.sql.DataSource;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Sends commands and desired twin state to one device of one site on {@code <siteId>.downlink} (CONTRACT sync 3),
 * and reports their status from the site's mirrored {@code mecgw_downlink_applied}. A message is recorded in
 * {@code cloud_commands} in the same transaction that waits for Kafka's acknowledgement: accepted means durable in
 * both. Thread-safe.
 */
public final class Downlink {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration SEND_TIMEOUT = Duration.ofSeconds(15);
    private static final String INSERT = "INSERT INTO cloud_commands (site_id, id, kind, device_id, name, payload,"
            + " version, expires_at) VALUES (?, ?, ?, ?, ?, CAST(? AS jsonb), ?, ?)";

    private final DataSource dataSource;
    private final Producer<String, byte[]> producer;
    private final Clock clock;

    /**
     * @param dataSource the cloud database
     * @param producer the Kafka producer; shared, not closed here
     * @param clock decides expiry
     */
    public Downlink(DataSource dataSource, Producer<String, byte[]> producer, Clock clock) {
        this.dataSource = dataSource;
        this.producer = producer;
        this.clock = clock;
    }

    /**
     * @param siteId the site
     * @param deviceId a device in the site's mirrored registry
     * @param name the command name ({@code devices/{id}/commands/{name}} at the edge)
     * @param payload the command's arguments
     * @param ttl how long the site keeps trying to deliver it
     * @return the accepted message
     * @throws CloudException NOT_FOUND for a device the site has not replicated, UNAVAILABLE when Kafka or the
     *     database does not take it
     */
    public Accepted command(String siteId, String deviceId, String name, JsonNode payload, Duration ttl) {
        String id = UUID.randomUUID().toString();
        Instant expiresAt = clock.instant().plus(ttl);
        ObjectNode message = JSON.createObjectNode()
                .put("id", id)
                .put("kind", "command")
                .put("deviceId", deviceId)
                .put("name", name);
        message.set("payload", payload);
        message.put("expiresAt", expiresAt.toString());
        return inTransaction(connection -> {
            requireDevice(connection, siteId, deviceId);
            insert(connection, siteId, id, "command", deviceId, name, payload, null, expiresAt);
            send(siteId, deviceId, message);
            return new Accepted(id, null);
        });
    }

    /**
     * @param siteId the site
     * @param deviceId a device in the site's mirrored registry
     * @param desired the desired state
     * @return the accepted message with its version: above both the site's replicated desired version and every
     *     version this cloud sent before, so the site never takes it for a stale one
     * @throws CloudException NOT_FOUND for an unknown device, UNAVAILABLE when Kafka or the database fails
     */
    public Accepted desired(String siteId, String deviceId, JsonNode desired) {
        String id = UUID.randomUUID().toString();
        return inTransaction(connection -> {
            requireDevice(connection, siteId, deviceId);
            long version = nextVersion(connection, siteId, deviceId);
            ObjectNode message = JSON.createObjectNode()
                    .put("id", id)
                    .put("kind", "desired")
                    .put("deviceId", deviceId)
                    .put("version", version);
            message.set("payload", desired);
            insert(connection, siteId, id, "desired", deviceId, null, desired, version, null);
            send(siteId, deviceId, message);
            return new Accepted(id, version);
        });
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

    private static void insert(
            Connection connection,
            String siteId,
            String id,
            String kind,
            String deviceId,
            String name,
            JsonNode payload,
            Long version,
            Instant expiresAt)
            throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement(INSERT)) {
            insert.setString(1, siteId);
            insert.setString(2, id);
            insert.setString(3, kind);
            insert.setString(4, deviceId);
            insert.setString(5, name);
            insert.setString(6, payload.toString());
            if (version == null) {
                insert.setNull(7, Types.BIGINT);
            } else {
                insert.setLong(7, version);
            }
            insert.setTimestamp(8, expiresAt == null ? null : Timestamp.from(expiresAt));
            insert.executeUpdate();
        }
    }

    private void send(String siteId, String deviceId, ObjectNode message) {
        try {
            producer.send(new ProducerRecord<>(siteId + ".downlink", deviceId, JSON.writeValueAsBytes(message)))
                    .get(SEND_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw CloudException.unavailable("Interrupted while sending to Kafka", e);
        } catch (ExecutionException | TimeoutException | java.io.IOException e) {
            throw CloudException.unavailable("Kafka did not accept the message; retry later", e);
        }
    }

    private interface Work<T> {
        T run(Connection connection) throws SQLException;
    }

    private <T> T inTransaction(Work<T> work) {
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
