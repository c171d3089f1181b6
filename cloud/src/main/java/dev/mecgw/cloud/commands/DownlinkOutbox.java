package dev.mecgw.cloud.commands;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.sql.DataSource;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.jboss.logging.Logger;

/**
 * Sends committed {@code cloud_commands} rows to their site's downlink and records Kafka's acknowledgement in
 * {@code sent_at}; rows left without it are sent again by {@link #resend}. Sending only after the commit means a
 * rolled-back request never reaches a site; resending means a committed one always does (at least once: the gateway
 * applies each id once). Thread-safe.
 */
final class DownlinkOutbox {

    private static final Logger LOG = Logger.getLogger(DownlinkOutbox.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String MARK_SENT =
            "UPDATE cloud_commands SET sent_at = now() WHERE site_id = ? AND id = ? AND sent_at IS NULL";
    /** Oldest first, so that a device gets its commands in order; SKIP LOCKED lets instances share the work. */
    private static final String UNSENT = "SELECT site_id, id, kind, device_id, name, payload, version, expires_at"
            + " FROM cloud_commands WHERE sent_at IS NULL AND created_at < now() - make_interval(secs => ?)"
            + " ORDER BY created_at LIMIT ? FOR UPDATE SKIP LOCKED";

    private final DataSource dataSource;
    private final Producer<String, byte[]> producer;
    private final Duration sendTimeout;

    DownlinkOutbox(DataSource dataSource, Producer<String, byte[]> producer, Duration sendTimeout) {
        this.dataSource = dataSource;
        this.producer = producer;
        this.sendTimeout = sendTimeout;
    }

    /**
     * Sends one committed message and waits up to the send timeout for Kafka.
     *
     * @return whether Kafka confirmed it; when not, the row stays unsent for {@link #resend}
     */
    boolean send(DownlinkMessage message) {
        if (!confirmed(message, publish(message))) {
            return false;
        }
        try (Connection connection = dataSource.getConnection()) {
            markSent(connection, message);
            return true;
        } catch (SQLException e) {
            // Sent but not recorded: the resend loop sends it once more, which the site ignores.
            LOG.warnf("downlink %s sent but not marked; it will be sent again: %s", message.id(), e.getMessage());
            return false;
        }
    }

    /**
     * Sends the rows that were committed at least {@code olderThan} ago without a confirmed send (Kafka was down,
     * or an instance stopped between commit and send), oldest first.
     *
     * @param olderThan leaves younger rows to the request that is sending them now
     * @param limit most rows per call
     * @return the rows Kafka confirmed
     * @throws SQLException when the database fails; nothing is marked then
     */
    int resend(Duration olderThan, int limit) throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            try {
                List<DownlinkMessage> unsent = unsent(connection, olderThan, limit);
                List<Future<RecordMetadata>> sends = new ArrayList<>();
                for (DownlinkMessage message : unsent) {
                    sends.add(publish(message));
                }
                int confirmed = 0;
                for (int i = 0; i < unsent.size(); i++) {
                    if (confirmed(unsent.get(i), sends.get(i))) {
                        markSent(connection, unsent.get(i));
                        confirmed++;
                    }
                }
                connection.commit();
                if (!unsent.isEmpty()) {
                    LOG.infof("downlink outbox: %d of %d unsent message(s) sent", confirmed, unsent.size());
                }
                return confirmed;
            } catch (SQLException | RuntimeException e) {
                connection.rollback();
                throw e;
            }
        }
    }

    private static List<DownlinkMessage> unsent(Connection connection, Duration olderThan, int limit)
            throws SQLException {
        List<DownlinkMessage> messages = new ArrayList<>();
        try (PreparedStatement query = connection.prepareStatement(UNSENT)) {
            query.setDouble(1, olderThan.toMillis() / 1000.0);
            query.setInt(2, limit);
            try (ResultSet row = query.executeQuery()) {
                while (row.next()) {
                    Timestamp expiresAt = row.getTimestamp(8);
                    messages.add(new DownlinkMessage(
                            row.getString(1),
                            row.getString(2),
                            row.getString(3),
                            row.getString(4),
                            row.getString(5),
                            JSON.readTree(row.getString(6)),
                            (Long) row.getObject(7),
                            expiresAt == null ? null : expiresAt.toInstant()));
                }
            } catch (IOException e) {
                throw new SQLException("cloud_commands.payload is not JSON", e);
            }
        }
        return messages;
    }

    private Future<RecordMetadata> publish(DownlinkMessage message) {
        try {
            return producer.send(new ProducerRecord<>(message.topic(), message.deviceId(), message.bytes()));
        } catch (KafkaException e) {
            // The producer refused at once (closed, or no metadata within max.block.ms).
            return java.util.concurrent.CompletableFuture.failedFuture(e);
        }
    }

    private boolean confirmed(DownlinkMessage message, Future<RecordMetadata> send) {
        try {
            send.get(sendTimeout.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } catch (ExecutionException | TimeoutException e) {
            LOG.warnf(
                    "downlink %s to site %s not confirmed by Kafka yet, kept queued for resending: %s",
                    message.id(), message.siteId(), e.getMessage());
            return false;
        }
    }

    private static void markSent(Connection connection, DownlinkMessage message) throws SQLException {
        try (PreparedStatement update = connection.prepareStatement(MARK_SENT)) {
            update.setString(1, message.siteId());
            update.setString(2, message.id());
            update.executeUpdate();
        }
    }
}
