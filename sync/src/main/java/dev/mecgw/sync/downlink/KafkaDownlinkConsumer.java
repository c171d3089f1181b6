package dev.mecgw.sync.downlink;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import javax.sql.DataSource;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.jboss.logging.Logger;

/**
 * Consumes {@code <site-id>.downlink} and applies each message through {@link PostgresDownlinkApplier}; consumer
 * offsets are committed after the local transaction, and a redelivered message is ignored by its id. Message value
 * (CONTRACT-sync §3): {@code {"id","kind":"desired","deviceId","version","payload":{...},"issuedAt"?}} or
 * {@code {"id","kind":"command","deviceId","name","payload":<any JSON>,"expiresAt"?}}. A malformed message is logged and
 * skipped (it can never succeed). Runs on the thread calling {@link #run()}.
 */
public final class KafkaDownlinkConsumer implements Runnable, AutoCloseable {

    private static final Logger LOG = Logger.getLogger(KafkaDownlinkConsumer.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Consumer<byte[], byte[]> consumer;
    private final PostgresDownlinkApplier applier;
    private final String topic;
    private volatile boolean closed;

    /**
     * @param consumer a consumer with auto-commit off; owned and closed by this one
     * @param applier the local side
     * @param topic the site's downlink topic
     */
    KafkaDownlinkConsumer(Consumer<byte[], byte[]> consumer, PostgresDownlinkApplier applier, String topic) {
        this.consumer = consumer;
        this.applier = applier;
        this.topic = topic;
    }

    /**
     * @param bootstrapServers the cloud Kafka
     * @param siteId this site; the topic is {@code <site-id>.downlink} and the group {@code mecgw-downlink-<site-id>}
     * @param passThrough further consumer properties (TLS, SASL)
     * @param dataSource the local store (with the gateway's {@code devices}, {@code device_twins}, {@code events} and
     *     {@code mecgw_downlink_applied})
     * @param listener told of each newly stored message after its commit
     * @return a consumer to run on a thread of its own
     */
    public static KafkaDownlinkConsumer create(
            String bootstrapServers,
            String siteId,
            Map<String, String> passThrough,
            DataSource dataSource,
            DownlinkListener listener) {
        return create(bootstrapServers, siteId, passThrough, new PostgresDownlinkApplier(dataSource, listener));
    }

    static KafkaDownlinkConsumer create(
            String bootstrapServers, String siteId, Map<String, String> passThrough, PostgresDownlinkApplier applier) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "mecgw-downlink-" + siteId);
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 1000);
        props.putAll(passThrough);
        return new KafkaDownlinkConsumer(
                new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer()),
                applier,
                siteId + ".downlink");
    }

    @Override
    public void run() {
        try {
            consumer.subscribe(List.of(topic));
            while (!closed) {
                ConsumerRecords<byte[], byte[]> records = consumer.poll(Duration.ofMillis(500));
                for (ConsumerRecord<byte[], byte[]> record : records) {
                    applyUntilStored(record);
                }
                if (!records.isEmpty()) {
                    consumer.commitSync();
                }
            }
        } catch (WakeupException | InterruptedException e) {
            // close() was called
        } catch (RuntimeException e) {
            LOG.errorf(e, "downlink consumer stopped: %s", e.getMessage());
        } finally {
            consumer.close();
        }
    }

    private void applyUntilStored(ConsumerRecord<byte[], byte[]> record) throws InterruptedException {
        DownlinkMessage message;
        try {
            message = decode(record.value());
        } catch (IOException | RuntimeException e) {
            LOG.warnf(
                    "skipping malformed downlink message at %s-%d@%d: %s",
                    record.topic(), record.partition(), record.offset(), e.getMessage());
            return;
        }
        while (!closed) {
            try {
                applier.apply(message);
                consumer.commitSync(Map.of(
                        new TopicPartition(record.topic(), record.partition()),
                        new OffsetAndMetadata(record.offset() + 1)));
                return;
            } catch (SQLException e) {
                LOG.warnf("downlink message %s not applied yet (%s); retrying", message.id(), e.getMessage());
                Thread.sleep(1000);
            }
        }
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
        closed = true;
        consumer.wakeup();
    }
}
