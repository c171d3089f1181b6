package dev.mecgw.app.modelrollout;

import dev.mecgw.sync.kafka.KafkaConsumerSettings;
import dev.mecgw.sync.kafka.KafkaRecordLoop;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Consumes {@code <siteId>.models} into the {@link ModelRolloutReceiver}, committing each record's offset only after
 * the receiver committed its effect: after a crash the consumer resumes at the first record not stored, so at most
 * the one chunk in flight comes again (and is a no-op). It runs the sync library's {@link KafkaRecordLoop}, as the
 * command downlink does, and only {@link #close()} ends it: a backhaul cut does not (records already fetched are still
 * stored, their offsets committed once the link is back, and nothing stored is fetched twice), a store failure and a
 * poll the broker refuses are retried after a growing wait that {@link #close()} ends, and a message that can never
 * apply (malformed, or refused by the store for good: counted in {@link #refusedTotal()}) is skipped. Runs on the
 * thread calling {@link #run()}.
 */
public final class KafkaModelDownlink implements Runnable, AutoCloseable {

    private final KafkaRecordLoop loop;

    KafkaModelDownlink(Consumer<byte[], byte[]> consumer, ModelRolloutReceiver receiver, String topic) {
        this.loop = new KafkaRecordLoop(consumer, topic, "model downlink", record -> receiver.handle(record.value()));
    }

    /**
     * @param bootstrapServers the cloud Kafka
     * @param siteId this site: topic {@code <siteId>.models}, group {@code mecgw-models-<siteId>}
     * @param passThrough further consumer properties (TLS, SASL, timeouts), as for the command downlink
     * @param receiver applies the messages
     * @throws IllegalArgumentException when {@code passThrough} would change a setting the consumer fixes (auto-commit,
     *     its group, its bootstrap servers)
     */
    public static KafkaModelDownlink create(
            String bootstrapServers, String siteId, Map<String, String> passThrough, ModelRolloutReceiver receiver) {
        Properties props = KafkaConsumerSettings.of(
                Map.of(
                        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                        bootstrapServers,
                        ConsumerConfig.GROUP_ID_CONFIG,
                        "mecgw-models-" + siteId,
                        ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
                        false),
                Map.of(
                        ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                        ConsumerConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 1000,
                        // Chunks are up to ~1 MB each; a few per poll keeps memory bounded in bytes.
                        ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 4,
                        ConsumerConfig.METADATA_MAX_AGE_CONFIG, 5000),
                passThrough);
        return new KafkaModelDownlink(
                new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer()),
                receiver,
                siteId + ".models");
    }

    @Override
    public void run() {
        loop.run();
    }

    /** @return messages the store refused for good and that were skipped, since start */
    public long refusedTotal() {
        return loop.refusedTotal();
    }

    @Override
    public void close() {
        loop.close();
    }
}
