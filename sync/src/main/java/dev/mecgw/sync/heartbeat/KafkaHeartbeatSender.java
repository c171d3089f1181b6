package dev.mecgw.sync.heartbeat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Sends {@link Heartbeat}s to {@code mecgw.heartbeats}, keyed by site id (CONTRACT-sync §2). A heartbeat is worth
 * nothing once the next one is due, so the producer gives a record up after one interval instead of buffering it
 * across an outage. Thread-safe.
 */
public final class KafkaHeartbeatSender implements AutoCloseable {

    /** The heartbeat topic. */
    public static final String TOPIC = "mecgw.heartbeats";

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Producer<byte[], byte[]> producer;

    /** @param producer a producer owned and closed by this sender */
    public KafkaHeartbeatSender(Producer<byte[], byte[]> producer) {
        this.producer = producer;
    }

    /**
     * @param bootstrapServers the cloud Kafka
     * @param interval the heartbeat period: a record older than that is dropped, not sent late
     * @param passThrough further producer properties, the change sink's (TLS, SASL)
     * @return a sender
     * @throws org.apache.kafka.common.KafkaException when the client cannot be built (e.g. the name does not resolve)
     */
    public static KafkaHeartbeatSender create(
            String bootstrapServers, Duration interval, Map<String, String> passThrough) {
        Map<String, Object> props = new HashMap<>();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ProducerConfig.CLIENT_ID_CONFIG, "mecgw-heartbeat");
        props.put(ProducerConfig.ACKS_CONFIG, "1");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, false);
        int timeoutMs = (int) Math.max(1000, interval.toMillis());
        props.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, timeoutMs);
        props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, timeoutMs + 10);
        props.put(ProducerConfig.LINGER_MS_CONFIG, 0);
        props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, timeoutMs);
        props.put(ProducerConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 1000);
        props.putAll(passThrough);
        return new KafkaHeartbeatSender(
                new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer()));
    }

    /**
     * Sends one heartbeat without waiting for the broker.
     *
     * @param heartbeat the state to send
     */
    public void send(Heartbeat heartbeat) {
        producer.send(
                new ProducerRecord<>(TOPIC, heartbeat.siteId().getBytes(StandardCharsets.UTF_8), encode(heartbeat)));
    }

    static byte[] encode(Heartbeat heartbeat) {
        ObjectNode node = JSON.createObjectNode();
        node.put("siteId", heartbeat.siteId());
        node.put("sentAt", heartbeat.sentAt().toString());
        node.put("gatewayVersion", heartbeat.gatewayVersion());
        node.put("health", heartbeat.health());
        node.put("backlogRows", heartbeat.backlogRows());
        node.put("lagSeconds", heartbeat.lagSeconds());
        node.put("devicesOnline", heartbeat.devicesOnline());
        node.put("devicesTotal", heartbeat.devicesTotal());
        ObjectNode models = node.putObject("models");
        new TreeMap<>(heartbeat.models()).forEach(models::put);
        try {
            return JSON.writeValueAsBytes(node);
        } catch (IOException e) {
            throw new IllegalStateException("a tree of strings and numbers always serializes", e);
        }
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(2));
    }
}
