package dev.mecgw.app.modelrollout;

import dev.mecgw.sync.kafka.KafkaStoredOffsets;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.jboss.logging.Logger;

/**
 * Consumes {@code <siteId>.models} into the {@link ModelRolloutReceiver}, committing each record's offset only after
 * the receiver committed its effect: after a crash the consumer resumes at the first record not stored, so at most
 * the one chunk in flight comes again (and is a no-op). A backhaul cut does not stop it: records already fetched are
 * still stored, their offsets wait in memory and are committed once the link is back, and if the broker dropped the
 * consumer from its group meanwhile, it seeks past them when the partition is assigned again, so nothing stored is
 * fetched twice. Runs on the thread calling {@link #run()}.
 */
public final class KafkaModelDownlink implements Runnable, AutoCloseable {

    private static final Logger LOG = Logger.getLogger(KafkaModelDownlink.class);

    private final Consumer<byte[], byte[]> consumer;
    private final ModelRolloutReceiver receiver;
    private final String topic;
    private final KafkaStoredOffsets offsets;

    private volatile boolean closed;

    KafkaModelDownlink(Consumer<byte[], byte[]> consumer, ModelRolloutReceiver receiver, String topic) {
        this.consumer = consumer;
        this.receiver = receiver;
        this.topic = topic;
        this.offsets = new KafkaStoredOffsets(consumer, "model downlink");
    }

    /**
     * @param bootstrapServers the cloud Kafka
     * @param siteId this site: topic {@code <siteId>.models}, group {@code mecgw-models-<siteId>}
     * @param passThrough further consumer properties (TLS, SASL), as for the command downlink
     * @param receiver applies the messages
     */
    public static KafkaModelDownlink create(
            String bootstrapServers, String siteId, Map<String, String> passThrough, ModelRolloutReceiver receiver) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "mecgw-models-" + siteId);
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 1000);
        // Chunks are up to ~1 MB each; a few per poll keeps memory bounded in bytes.
        props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 4);
        props.put(ConsumerConfig.METADATA_MAX_AGE_CONFIG, 5000);
        props.putAll(passThrough);
        return new KafkaModelDownlink(
                new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer()),
                receiver,
                siteId + ".models");
    }

    @Override
    public void run() {
        try {
            consumer.subscribe(List.of(topic), offsets);
            while (!closed) {
                // While commits fail (the link is down), the records already fetched are still stored, without
                // waiting for a commit timeout after each one.
                boolean committing = offsets.commit();
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(500))) {
                    applyUntilStored(record);
                    committing = committing && offsets.commit();
                }
            }
        } catch (WakeupException | InterruptedException e) {
            // close() was called
        } catch (RuntimeException e) {
            LOG.errorf(e, "model downlink consumer stopped: %s", e.getMessage());
        } finally {
            consumer.close();
        }
    }

    private void applyUntilStored(ConsumerRecord<byte[], byte[]> record) throws InterruptedException {
        while (!closed) {
            try {
                receiver.handle(record.value());
            } catch (SQLException e) {
                LOG.warnf("model downlink message not stored yet (%s); retrying", e.getMessage());
                Thread.sleep(1000);
                continue;
            } catch (RuntimeException e) {
                LOG.warnf(
                        "skipping model downlink message %s-%d@%d: %s",
                        record.topic(), record.partition(), record.offset(), e.getMessage());
            }
            offsets.stored(record);
            return;
        }
    }

    @Override
    public void close() {
        closed = true;
        consumer.wakeup();
    }
}
