package dev.mecgw.sync.downlink;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mecgw.sync.kafka.KafkaConsumerSettings;
import dev.mecgw.sync.kafka.KafkaRecordLoop;
import java.io.IOException;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Map;
import java.util.Properties;
import javax.sql.DataSource;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Consumes {@code <site-id>.downlink} and applies each message through {@link PostgresDownlinkApplier}; consumer
 * offsets are committed after the local transaction, and a redelivered message is ignored by its id. Message value
 * (CONTRACT-sync §3): {@code {"id","kind":"desired","deviceId","version","payload":{...},"issuedAt"?}} or
 * {@code {"id","kind":"command","deviceId","name","payload":<any JSON>,"expiresAt"?}}.
 *
 * <p>Only {@link #close()} ends it ({@link KafkaRecordLoop}): a backhaul cut does not, a store that cannot be written
 * is retried, and so is a poll the broker refuses, each after a wait that {@link #close()} ends. A message that can
 * never apply is skipped so that it does not block the messages behind it: a malformed one (logged), and one the store
 * refuses for good (SQLSTATE class 22 or 23, e.g. a payload {@code jsonb} refuses; recorded {@code failed} by the
 * applier where the store takes its id, logged at ERROR with its id and counted in {@link #refusedTotal()}). Runs on the thread calling {@link #run()}.
 */
public final class KafkaDownlinkConsumer implements Runnable, AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** Stores one decoded message: the applier, or in tests a wrapper that watches it. */
    @FunctionalInterface
    interface MessageStore {
        void apply(DownlinkMessage message) throws SQLException;
    }

    private final KafkaRecordLoop loop;

    /**
     * @param consumer a consumer with auto-commit off; owned and closed by this one
     * @param applier the local side
     * @param topic the site's downlink topic
     */
    KafkaDownlinkConsumer(Consumer<byte[], byte[]> consumer, MessageStore applier, String topic) {
        this.loop = new KafkaRecordLoop(consumer, topic, "downlink", record -> store(applier, record));
    }

    /**
     * @param bootstrapServers the cloud Kafka
     * @param siteId this site; the topic is {@code <site-id>.downlink} and the group {@code mecgw-downlink-<site-id>}
     * @param passThrough further consumer properties (TLS, SASL, timeouts)
     * @param dataSource the local store (with the gateway's {@code devices}, {@code device_twins}, {@code events} and
     *     {@code mecgw_downlink_applied})
     * @param listener told of each newly stored message after its commit
     * @return a consumer to run on a thread of its own
     * @throws IllegalArgumentException when {@code passThrough} would change a setting the consumer fixes (auto-commit,
     *     its group, its bootstrap servers)
     */
    public static KafkaDownlinkConsumer create(
            String bootstrapServers,
            String siteId,
            Map<String, String> passThrough,
            DataSource dataSource,
            DownlinkListener listener) {
        return create(bootstrapServers, siteId, passThrough, new PostgresDownlinkApplier(dataSource, listener)::apply);
    }

    /**
     * Checks the operator's pass-through properties without building a consumer, so that the gateway can refuse
     * them at start even while the cloud's name does not resolve (a consumer cannot be built then).
     *
     * @throws IllegalArgumentException as {@link #create} would
     */
    public static void checkSettings(String bootstrapServers, String siteId, Map<String, String> passThrough) {
        properties(bootstrapServers, siteId, passThrough);
    }

    static KafkaDownlinkConsumer create(
            String bootstrapServers, String siteId, Map<String, String> passThrough, MessageStore applier) {
        return new KafkaDownlinkConsumer(
                new KafkaConsumer<>(
                        properties(bootstrapServers, siteId, passThrough),
                        new ByteArrayDeserializer(),
                        new ByteArrayDeserializer()),
                applier,
                siteId + ".downlink");
    }

    private static Properties properties(String bootstrapServers, String siteId, Map<String, String> passThrough) {
        return KafkaConsumerSettings.of(
                Map.of(
                        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                        bootstrapServers,
                        ConsumerConfig.GROUP_ID_CONFIG,
                        "mecgw-downlink-" + siteId,
                        ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
                        false),
                Map.of(
                        ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
                        "earliest",
                        ConsumerConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG,
                        1000),
                passThrough);
    }

    @Override
    public void run() {
        loop.run();
    }

    private static void store(MessageStore applier, ConsumerRecord<byte[], byte[]> record) throws SQLException {
        DownlinkMessage message;
        try {
            message = decode(record.value());
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
        try {
            applier.apply(message);
        } catch (SQLException e) {
            // Names the message in the loop's log; the SQLSTATE still tells a refusal from an outage.
            throw new SQLException("downlink message " + message.id() + ": " + e.getMessage(), e.getSQLState(), e);
        }
    }

    /** @return messages the store refused for good and that were skipped, since start */
    public long refusedTotal() {
        return loop.refusedTotal();
    }

    static DownlinkMessage decode(byte[] value) throws IOException {
        JsonNode node = JSON.readTree(value);
        DownlinkMessage.Kind kind =
                DownlinkMessage.Kind.valueOf(node.path("kind").asText("").toUpperCase());
        String id = node.path("id").asText(null);
        String deviceId = node.path("deviceId").asText(null);
        JsonNode payload = node.get("payload");
        boolean command = kind == DownlinkMessage.Kind.COMMAND;
        if (id == null || deviceId == null || (!command && (payload == null || !payload.isObject()))) {
            throw new IllegalArgumentException("id, deviceId and an object payload are required");
        }
        return new DownlinkMessage(
                id,
                kind,
                deviceId,
                node.path("version").asLong(0),
                payload == null ? "{}" : JSON.writeValueAsString(payload),
                command ? node.path("name").asText(null) : null,
                instant(node, "expiresAt"),
                instant(node, "issuedAt"));
    }

    private static Instant instant(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? null : Instant.parse(value.asText());
    }

    @Override
    public void close() {
        loop.close();
    }
}
