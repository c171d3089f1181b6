package dev.mecgw.sync.heartbeat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mecgw.testsupport.kafka.EmbeddedKafkaBroker;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The heartbeat on the wire (CONTRACT-sync §2, issue 17): keyed by site id, the contract's fields. */
class KafkaHeartbeatSenderIT {

    @TempDir
    Path dir;

    @Test
    void shouldPublishContractHeartbeatKeyedBySiteWhenSent() throws Exception {
        try (EmbeddedKafkaBroker kafka = EmbeddedKafkaBroker.start(dir.resolve("kafka"));
                KafkaHeartbeatSender sender =
                        KafkaHeartbeatSender.create(kafka.edgeBootstrap(), Duration.ofSeconds(10), Map.of())) {
            // when
            sender.send(new Heartbeat(
                    "plant-7",
                    Instant.parse("2026-12-05T15:30:00Z"),
                    "0.1.0-SNAPSHOT",
                    "UP",
                    123,
                    0.4,
                    20,
                    25,
                    Map.of("sensor-anomaly", "3")));
            // then
            ConsumerRecord<String, String> record = readOne(kafka.cloudBootstrap());
            assertThat(record.key()).isEqualTo("plant-7");
            JsonNode value = new ObjectMapper().readTree(record.value());
            assertThat(value.path("siteId").asText()).isEqualTo("plant-7");
            assertThat(value.path("sentAt").asText()).isEqualTo("2026-12-05T15:30:00Z");
            assertThat(value.path("gatewayVersion").asText()).isEqualTo("0.1.0-SNAPSHOT");
            assertThat(value.path("health").asText()).isEqualTo("UP");
            assertThat(value.path("backlogRows").asLong()).isEqualTo(123);
            assertThat(value.path("lagSeconds").asDouble()).isEqualTo(0.4);
            assertThat(value.path("devicesOnline").asLong()).isEqualTo(20);
            assertThat(value.path("devicesTotal").asLong()).isEqualTo(25);
            assertThat(value.path("models").path("sensor-anomaly").asText()).isEqualTo("3");
        }
    }

    private static ConsumerRecord<String, String> readOne(String bootstrap) {
        List<ConsumerRecord<String, String>> found = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(
                Map.of(
                        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                        bootstrap,
                        ConsumerConfig.GROUP_ID_CONFIG,
                        "heartbeat-test",
                        ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
                        "earliest"),
                new StringDeserializer(),
                new StringDeserializer())) {
            consumer.subscribe(List.of(KafkaHeartbeatSender.TOPIC));
            await().atMost(Duration.ofSeconds(60)).until(() -> {
                consumer.poll(Duration.ofMillis(200)).forEach(found::add);
                return !found.isEmpty();
            });
        }
        return found.get(0);
    }
}
