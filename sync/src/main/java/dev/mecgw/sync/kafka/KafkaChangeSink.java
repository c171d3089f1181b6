package dev.mecgw.sync.kafka;

import dev.mecgw.sync.backhaul.BackhaulMonitor;
import dev.mecgw.sync.backhaul.LinkProbe;
import dev.mecgw.sync.cdc.ChangeEvent;
import dev.mecgw.sync.cdc.ChangeSink;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * {@link ChangeSink} to the cloud Kafka: one topic per table prefixed with the site id, key = primary key,
 * idempotent producer with {@code acks=all}, so a retried batch never duplicates or reorders within a partition.
 * The entry of the {@code kafka} area; {@link #linkProbe} builds the probe of the same cloud Kafka.
 */
public final class KafkaChangeSink implements ChangeSink {

    private final Producer<byte[], byte[]> producer;
    private final BackhaulMonitor monitor;

    /**
     * @param producer the producer; owned and closed by this sink
     * @param monitor told about every send, acknowledgement and failure
     */
    public KafkaChangeSink(Producer<byte[], byte[]> producer, BackhaulMonitor monitor) {
        this.producer = producer;
        this.monitor = monitor;
    }

    /**
     * @param bootstrapServers the cloud brokers, {@code host:port,...}
     * @param compression {@code zstd}, {@code lz4}, ...
     * @param passThrough further producer properties (TLS, SASL), applied last
     * @param monitor the backhaul monitor
     * @return a sink with its own producer
     */
    public static KafkaChangeSink create(
            String bootstrapServers, String compression, Map<String, String> passThrough, BackhaulMonitor monitor) {
        return new KafkaChangeSink(
                new KafkaProducer<>(producerProperties(bootstrapServers, compression, passThrough)), monitor);
    }

    /**
     * @param bootstrapServers the cloud brokers
     * @param passThrough the producer's pass-through properties (TLS, SASL), applied last (producer-only keys are
     *     dropped)
     * @return a probe of the cloud Kafka's cluster metadata with its own admin client; close it
     */
    public static LinkProbe linkProbe(String bootstrapServers, Map<String, String> passThrough) {
        return KafkaLinkProbe.create(bootstrapServers, passThrough);
    }

    static Map<String, Object> producerProperties(
            String bootstrapServers, String compression, Map<String, String> passThrough) {
        Map<String, Object> props = new HashMap<>();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ProducerConfig.CLIENT_ID_CONFIG, "mecgw-sync");
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        // One request in flight: a retried first batch of a freshly created partition (NOT_LEADER) with later
        // batches behind it was seen to loop on OUT_OF_ORDER_SEQUENCE until the delivery timeout.
        props.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 1);
        props.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, compression);
        props.put(ProducerConfig.LINGER_MS_CONFIG, 10);
        props.put(ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024);
        // A backhaul outage is normal: reconnect within a second once the link returns. A record not delivered
        // within the timeout fails and the capture resends it in order (see AckingBatchHandler).
        props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 30_000);
        props.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 15_000);
        // Issue 14.7: send() blocks up to max.block.ms while the topic's metadata is unknown (a restart during an
        // outage); the capture holds back everything behind a failed send, so one short block per retry round is
        // all an outage costs, and a send blocked when the link returns goes on as soon as metadata arrives.
        props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 2_000);
        props.put(ProducerConfig.RECONNECT_BACKOFF_MS_CONFIG, 50);
        props.put(ProducerConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 250);
        // A connection attempt into a black-holed backhaul would otherwise hang up to 10-30 s after the link is back.
        props.put(ProducerConfig.SOCKET_CONNECTION_SETUP_TIMEOUT_MS_CONFIG, 1_000);
        props.put(ProducerConfig.SOCKET_CONNECTION_SETUP_TIMEOUT_MAX_MS_CONFIG, 2_000);
        props.put(ProducerConfig.RETRY_BACKOFF_MS_CONFIG, 50);
        props.put(ProducerConfig.RETRY_BACKOFF_MAX_MS_CONFIG, 500);
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        props.putAll(passThrough);
        return props;
    }

    @Override
    public CompletableFuture<Void> send(ChangeEvent event) {
        CompletableFuture<Void> ack = new CompletableFuture<>();
        ProducerRecord<byte[], byte[]> record = new ProducerRecord<>(
                ChangeEventCodec.topic(event.siteId(), event.table()),
                null,
                event.commitTime().toEpochMilli(),
                ChangeEventCodec.key(event),
                ChangeEventCodec.encode(event));
        monitor.sent(event.commitTime());
        try {
            producer.send(record, (metadata, error) -> {
                if (error == null) {
                    monitor.acknowledged(event.commitTime());
                    ack.complete(null);
                } else {
                    monitor.failed();
                    ack.completeExceptionally(error);
                }
            });
        } catch (RuntimeException e) {
            // send() itself throws when metadata or buffer space is not available within max.block.ms
            monitor.failed();
            ack.completeExceptionally(e);
        }
        return ack;
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(5));
    }
}
