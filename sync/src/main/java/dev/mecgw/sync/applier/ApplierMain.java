package dev.mecgw.sync.applier;

import dev.mecgw.sync.kafka.KafkaConsumerSettings;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * The cloud applier as its own process. Settings come from environment variables:
 * <ul>
 * <li>{@code MECGW_APPLIER_BOOTSTRAP_SERVERS} (required): the cloud Kafka</li>
 * <li>{@code MECGW_APPLIER_JDBC_URL} (required), {@code MECGW_APPLIER_JDBC_USER}, {@code MECGW_APPLIER_JDBC_PASSWORD}:
 * the central PostgreSQL</li>
 * <li>{@code MECGW_APPLIER_GROUP_ID} (default {@code mecgw-cloud-applier}): start several processes with the same
 * group to scale out; the LSN check keeps the effect exactly-once across them</li>
 * <li>{@code MECGW_APPLIER_TOPIC_PATTERN} (default: all {@code <site>.<schema>.<table>} topics)</li>
 * </ul>
 * Stops cleanly on SIGTERM.
 */
public final class ApplierMain {

    private ApplierMain() {}

    /**
     * @param args unused; see the class documentation for the environment variables
     * @throws Exception when the central database cannot be prepared
     */
    public static void main(String[] args) throws Exception {
        Map<String, String> env = System.getenv();
        KafkaChangeApplier applier = create(
                required(env, "MECGW_APPLIER_BOOTSTRAP_SERVERS"),
                env.getOrDefault("MECGW_APPLIER_GROUP_ID", "mecgw-cloud-applier"),
                Pattern.compile(
                        env.getOrDefault("MECGW_APPLIER_TOPIC_PATTERN", KafkaChangeApplier.SITE_TOPICS.pattern())),
                new PostgresChangeApplier(
                        required(env, "MECGW_APPLIER_JDBC_URL"),
                        env.get("MECGW_APPLIER_JDBC_USER"),
                        env.get("MECGW_APPLIER_JDBC_PASSWORD")));
        Thread worker = new Thread(applier, "mecgw-applier");
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            applier.close();
            try {
                worker.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }));
        worker.start();
        worker.join();
    }

    /**
     * @param bootstrapServers the cloud Kafka
     * @param groupId the consumer group
     * @param topics the topics to apply
     * @param database the central database side; its schema is created here
     * @return a ready applier; run it on a thread of its own
     * @throws java.sql.SQLException when the central database cannot be prepared
     */
    public static KafkaChangeApplier create(
            String bootstrapServers, String groupId, Pattern topics, PostgresChangeApplier database)
            throws java.sql.SQLException {
        return create(bootstrapServers, groupId, topics, database, Map.of());
    }

    /**
     * @param bootstrapServers the cloud Kafka
     * @param groupId the consumer group
     * @param topics the topics to apply
     * @param database the central database side; its schema is created here
     * @param passThrough further consumer properties (TLS, SASL, timeouts); they may override the tuning (poll size,
     *     metadata age, offset reset) but not what the exactly-once effect depends on
     * @return a ready applier; run it on a thread of its own
     * @throws java.sql.SQLException when the central database cannot be prepared
     * @throws IllegalArgumentException naming a pass-through key that would change auto-commit (off: offsets are
     *     committed after the database transaction), the isolation level ({@code read_committed}), the group or the
     *     bootstrap servers
     */
    public static KafkaChangeApplier create(
            String bootstrapServers,
            String groupId,
            Pattern topics,
            PostgresChangeApplier database,
            Map<String, String> passThrough)
            throws java.sql.SQLException {
        Properties props = KafkaConsumerSettings.of(
                Map.of(
                        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                        bootstrapServers,
                        ConsumerConfig.GROUP_ID_CONFIG,
                        groupId,
                        ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
                        false,
                        ConsumerConfig.ISOLATION_LEVEL_CONFIG,
                        "read_committed"),
                Map.of(
                        ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                        ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 2000,
                        ConsumerConfig.METADATA_MAX_AGE_CONFIG, 2000),
                passThrough);
        database.createSchema();
        return new KafkaChangeApplier(
                new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer()), database, topics);
    }

    private static String required(Map<String, String> env, String name) {
        String value = env.get(name);
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("environment variable " + name + " is required");
        }
        return value;
    }
}
