package dev.mecgw.cloud.kafka;

import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Builds the cloud's Kafka clients for one cluster: the bootstrap servers plus the operator's pass-through client
 * properties (TLS, SASL SCRAM/PLAIN, mTLS: {@code security.protocol}, {@code ssl.*}, {@code sasl.*}), which win over
 * the cloud's own defaults. Thread-safe; every call returns a new client that the caller owns.
 */
public final class KafkaClients {

    private final String bootstrap;
    private final Map<String, String> properties;

    /**
     * @param bootstrap bootstrap servers, {@code host:port,...}
     * @param properties further client properties passed through unchanged; may be empty
     */
    public KafkaClients(String bootstrap, Map<String, String> properties) {
        this.bootstrap = bootstrap;
        this.properties = Map.copyOf(properties);
    }

    /** @return the bootstrap servers */
    public String bootstrap() {
        return bootstrap;
    }

    /**
     * @param groupId the consumer group; instances with the same group share the partitions
     * @return a consumer with manual offset commits, reading committed records only
     */
    public Consumer<byte[], byte[]> consumer(String groupId) {
        Map<String, Object> config = new HashMap<>();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        config.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        config.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "2000");
        // A new site's topics appear when its gateway first connects; find them within seconds, not the default 5 min.
        config.put(ConsumerConfig.METADATA_MAX_AGE_CONFIG, "5000");
        config.putAll(properties);
        return new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    /** @return an idempotent producer that waits for all in-sync replicas */
    public Producer<String, byte[]> producer() {
        Map<String, Object> config = new HashMap<>();
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        // One request in flight, as sync's KafkaChangeSink: a retried first batch to a freshly created partition
        // (NOT_LEADER) with later batches behind it was seen to loop on OUT_OF_ORDER_SEQUENCE until the delivery
        // timeout (ApplierRebalanceTest, soak run 3). Downlink and model chunks are small; order matters more.
        config.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, "1");
        config.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "15000");
        config.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, "10000");
        config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, "10000");
        config.putAll(properties);
        return new KafkaProducer<>(config, new StringSerializer(), new ByteArraySerializer());
    }
}
