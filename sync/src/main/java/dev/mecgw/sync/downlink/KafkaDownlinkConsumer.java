package dev.mecgw.sync.downlink;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mecgw.sync.kafka.KafkaStoredOffsets;
import java.io.IOException;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.jboss.logging.Logger;

/**
 * Consumes {@code <site-id>.downlink} and applies each message through {@link PostgresDownlinkApplier}; consumer
 * offsets are committed after the local transaction, and a redelivered message is ignored by its id. Message value
 * (CONTRACT-sync §3): {@code {"id","kind":"desired","deviceId","version","payload":{...},"issuedAt"?}} or
 * {@code {"id","kind":"command","deviceId","name","payload":<any JSON>,"expiresAt"?}}. A malformed message is logged and
 * skipped (it can never succeed).
 *
 * <p>Only {@link #close()} ends it. A backhaul cut does not: records already fetched are still stored, their offsets
 * wait in memory and are committed once the link is back, and if the broker dropped the consumer from its group
 * meanwhile, it seeks past them when the partition is assigned again (were one delivered again, its id makes it a
 * no-op). A store that cannot be written is retried, and a poll the broker refuses too, each after a wait that grows
 * from 0.5 s to 10 s and that {@link #close()} ends at once. Runs on the thread calling {@link #run()}.
 */
public final class KafkaDownlinkConsumer implements Runnable, AutoCloseable {

    private static final Logger LOG = Logger.getLogger(KafkaDownlinkConsumer.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration POLL = Duration.ofMillis(500);
    private static final Duration FIRST_BACKOFF = Duration.ofMillis(500);
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(10);

    private final Consumer<byte[], byte[]> consumer;
    private final PostgresDownlinkApplier applier;
    private final String topic;
    private final KafkaStoredOffsets offsets;
    /** Released by {@link #close()}: ends a wait between retries at once. */
    private final CountDownLatch closing = new CountDownLatch(1);

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
        this.offsets = new KafkaStoredOffsets(consumer, "downlink");
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
            consumer.subscribe(List.of(topic), offsets);
            int pollFailures = 0;
            while (!closed) {
                // While commits fail (the link is down), records already fetched are still stored, without waiting
                // for a commit timeout after each one.
                boolean committing = offsets.commit();
                ConsumerRecords<byte[], byte[]> records;
                try {
                    records = consumer.poll(POLL);
                    pollFailures = 0;
                } catch (WakeupException | InterruptException e) {
                    throw e;
                } catch (KafkaException e) {
                    // Not a cut (poll rides those out): e.g. credentials or ACLs refused. Nothing was fetched, so
                    // nothing is skipped; an operator may fix it while the gateway runs.
                    LOG.errorf("downlink consumer cannot poll %s (%s); retrying", topic, e.getMessage());
                    pause(backoff(pollFailures++));
                    continue;
                }
                for (ConsumerRecord<byte[], byte[]> record : records) {
                    if (closed) {
                        // A record left unapplied by close() (its store was down) must stay the partition's next:
                        // storing a later one here would let the commit on close skip it.
                        break;
                    }
                    applyUntilStored(record);
                    committing = committing && offsets.commit();
                }
            }
        } catch (WakeupException | InterruptException | InterruptedException e) {
            // close() was called
        } catch (RuntimeException e) {
            // A defect (the consumer misused), not the link: every failure of the link or the store is retried.
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
            offsets.stored(record);
            return;
        }
        for (int failures = 0; !closed; failures++) {
            try {
                applier.apply(message);
            } catch (SQLException e) {
                LOG.warnf("downlink message %s not applied yet (%s); retrying", message.id(), e.getMessage());
                pause(backoff(failures));
                continue;
            } catch (RuntimeException e) {
                // A listener that broke its contract (the message is stored then), or a message the store refuses
                // for good: retrying cannot help, and must not hold up the messages behind it.
                LOG.errorf(e, "downlink message %s: %s", message.id(), e.getMessage());
            }
            offsets.stored(record);
            return;
        }
    }

    /** Waits, or returns at once when {@link #close()} is called. */
    private void pause(Duration delay) throws InterruptedException {
        closing.await(delay.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** @return the wait after {@code failures} failures in a row: doubling from 0.5 s up to 10 s */
    static Duration backoff(int failures) {
        Duration delay = FIRST_BACKOFF.multipliedBy(1L << Math.min(failures, 5));
        return delay.compareTo(MAX_BACKOFF) < 0 ? delay : MAX_BACKOFF;
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
        closing.countDown();
        consumer.wakeup();
    }
}
