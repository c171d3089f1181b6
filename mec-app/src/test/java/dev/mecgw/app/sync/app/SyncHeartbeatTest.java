package dev.mecgw.app.sync.app;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mecgw.app.twin.DownlinkCloudProfile;
import dev.mecgw.app.twin.DownlinkKafkaResource;
import dev.mecgw.sync.heartbeat.KafkaHeartbeatSender;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;

/** The gateway heartbeat (CONTRACT-sync §2, issue 17) every heartbeat interval (1 s here) with the backhaul up. */
@QuarkusTest
@TestProfile(DownlinkCloudProfile.class)
class SyncHeartbeatTest {

    @Test
    void shouldPublishHeartbeatsKeyedBySiteWhenBackhaulIsUp() throws Exception {
        // given a registered device
        String id = "hb-" + UUID.randomUUID().toString().substring(0, 8);
        given().header("Authorization", "Bearer test-admin-token")
                .contentType(ContentType.JSON)
                .body(Map.of("id", id, "type", "sensor"))
                .post("/api/v1/devices")
                .then()
                .statusCode(201);
        // then heartbeats arrive, one of them counting it
        AtomicReference<JsonNode> counted = new AtomicReference<>();
        ObjectMapper json = new ObjectMapper();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(
                Map.of(
                        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                        DownlinkKafkaResource.kafka().cloudBootstrap(),
                        ConsumerConfig.GROUP_ID_CONFIG,
                        "heartbeat-" + id,
                        ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
                        "earliest"),
                new StringDeserializer(),
                new StringDeserializer())) {
            consumer.subscribe(List.of(KafkaHeartbeatSender.TOPIC));
            await().atMost(Duration.ofSeconds(60)).until(() -> {
                for (var record : consumer.poll(Duration.ofMillis(200))) {
                    assertThat(record.key()).isEqualTo("site-downlink");
                    JsonNode value = json.readTree(record.value());
                    if (value.path("devicesTotal").asLong() >= 1) {
                        counted.set(value);
                    }
                }
                return counted.get() != null;
            });
        }
        JsonNode heartbeat = counted.get();
        assertThat(heartbeat.path("siteId").asText()).isEqualTo("site-downlink");
        assertThat(heartbeat.path("health").asText()).isIn("UP", "DOWN");
        assertThat(heartbeat.path("gatewayVersion").asText()).isNotBlank();
        assertThat(heartbeat.has("backlogRows")).isTrue();
        assertThat(heartbeat.has("lagSeconds")).isTrue();
        assertThat(heartbeat.has("devicesOnline")).isTrue();
        assertThat(heartbeat.path("models").isObject()).isTrue();
        assertThat(heartbeat.path("sentAt").asText()).endsWith("Z");
    }
}
