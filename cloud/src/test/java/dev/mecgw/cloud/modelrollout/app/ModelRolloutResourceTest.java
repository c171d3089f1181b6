package dev.mecgw.cloud.modelrollout.app;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mecgw.cloud.kafka.KafkaClients;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.specification.RequestSpecification;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The model rollout API on the cloud with its embedded PostgreSQL and Kafka: a rollout publishes its model chunked
 * on the canary's {@code <site>.models}, and a site report arriving as a replicated {@code mecgw_model_installs} row
 * moves it (issue 18 item 5).
 */
@QuarkusTest
class ModelRolloutResourceTest {

    private static final Duration WAIT = Duration.ofSeconds(90);
    private static final ObjectMapper JSON = new ObjectMapper();
    /** 600 kB: three chunks of the default 256 KiB. */
    private static final byte[] MODEL = new byte[600_000];

    @Inject
    AgroalDataSource dataSource;

    @Inject
    KafkaClients kafka;

    // The test data directory outlives a run: every test uses sites of its own.
    private final String canary = "c" + UUID.randomUUID().toString().substring(0, 8);
    private final String main = "m" + UUID.randomUUID().toString().substring(0, 8);

    @BeforeEach
    void givenTwoKnownSites() throws Exception {
        new Random(7).nextBytes(MODEL);
        try (Connection connection = dataSource.getConnection();
                PreparedStatement insert = connection.prepareStatement("INSERT INTO sites (site_id) VALUES (?)")) {
            for (String site : List.of(canary, main)) {
                insert.setString(1, site);
                insert.executeUpdate();
            }
        }
    }

    @Test
    void shouldPublishTheModelChunkedToTheCanaryOnlyWhenARolloutStarts() throws Exception {
        // when a rollout starts with a canary wave
        String id = create(rollout("2")).then().statusCode(201).extract().path("id");
        // then the canary is sent the offer and three hashed chunks; the main wave waits
        await().atMost(WAIT).until(() -> siteState(id, 0).equals("sent"));
        assertThat(siteState(id, 1)).isEqualTo("pending");
        List<JsonNode> messages = consume(canary + ".models", 4);
        assertThat(messages.get(0).path("kind").asText()).isEqualTo("model-offer");
        assertThat(messages.get(0).path("chunks").asInt()).isEqualTo(3);
        assertThat(messages.get(0).path("chunkSha256")).hasSize(3);
        // the request names no gate: the offer carries the configured defaults, vision ones included
        assertThat(messages.get(0)
                        .path("gate")
                        .path("maxDetectionsPerFrameDelta")
                        .asDouble())
                .isEqualTo(0.2);
        assertThat(messages.get(0).path("gate").path("minFrames").asInt()).isEqualTo(100);
        assertThat(messages.subList(1, 4))
                .extracting(m -> m.path("index").asInt())
                .containsExactly(0, 1, 2);
        assertThat(messages).allMatch(m -> m.toString().length() < 1_000_000);
    }

    @Test
    void shouldAbortAndCancelTheMainWaveWhenTheCanaryReportsARollback() throws Exception {
        // given a rollout whose canary got the model
        String id = create(rollout("3")).then().statusCode(201).extract().path("id");
        await().atMost(WAIT).until(() -> siteState(id, 0).equals("sent"));
        // when the canary's replicated report says its health gate rolled it back
        report(
                id,
                "rolled-back",
                "health gate: detection rate 1.00 vs previous 0.02 (tolerance 0.20); rolled back to 1");
        // then the rollout aborts with that reason and the main site never gets the model
        await().atMost(WAIT)
                .until(() -> "aborted"
                        .equals(api().get("/api/v1/model-rollouts/" + id).path("state")));
        JsonPath view = api().get("/api/v1/model-rollouts/" + id).jsonPath();
        assertThat(view.getString("reason")).contains(canary, "rolled-back", "detection rate 1.00");
        assertThat(view.getString("waves[0].sites[0].state")).isEqualTo("rolled-back");
        assertThat(view.getString("waves[0].sites[0].previousVersion")).isEqualTo("1");
        assertThat(view.getString("waves[1].sites[0].state")).isEqualTo("cancelled");
        // and a second abort is refused
        api().post("/api/v1/model-rollouts/" + id + "/abort").then().statusCode(409);
    }

    @Test
    void shouldPauseResumeAndAbortWhenTheOperatorAsks() {
        String id = create(rollout("4")).then().statusCode(201).extract().path("id");
        api().post("/api/v1/model-rollouts/" + id + "/pause")
                .then()
                .statusCode(200)
                .body("state", equalTo("paused"));
        api().post("/api/v1/model-rollouts/" + id + "/pause").then().statusCode(409);
        api().post("/api/v1/model-rollouts/" + id + "/resume")
                .then()
                .statusCode(200)
                .body("state", equalTo("running"));
        api().post("/api/v1/model-rollouts/" + id + "/abort")
                .then()
                .statusCode(200)
                .body("state", equalTo("aborted"));
    }

    @Test
    void shouldRefuseARolloutNamingTheFieldWhenTheInputIsWrong() {
        create(rollout("bad version!"))
                .then()
                .statusCode(400)
                .contentType(containsString("problem+json"))
                .body(containsString("metadata.version"));
        create(rollout("5").replace(main, "nowhere")).then().statusCode(400).body(containsString("selector.sites"));
        create(rollout("5").replace("\"healthWindow\"", "\"gate\":{\"minFrames\":0},\"healthWindow\""))
                .then()
                .statusCode(400)
                .body(containsString("minFrames"));
        api().get("/api/v1/model-rollouts/" + UUID.randomUUID()).then().statusCode(404);
    }

    private String rollout(String version) {
        return "{\"metadata\":{\"name\":\"sensor-anomaly\",\"version\":\"" + version + "\",\"kind\":\"SENSOR\"},"
                + "\"selector\":{\"sites\":[\"" + canary + "\",\"" + main + "\"]},"
                + "\"waves\":[{\"name\":\"canary\",\"sites\":[\"" + canary
                + "\"]},{\"name\":\"main\",\"percent\":100}],"
                + "\"healthWindow\":\"PT10S\"}";
    }

    private io.restassured.response.Response create(String rollout) {
        return api().multiPart("rollout", rollout, "application/json")
                .multiPart("model", "model.onnx", MODEL, "application/octet-stream")
                .post("/api/v1/model-rollouts");
    }

    private String siteState(String id, int wave) {
        return api().get("/api/v1/model-rollouts/" + id).jsonPath().getString("waves[" + wave + "].sites[0].state");
    }

    /** The canary's mecgw_model_installs row, replicated as the gateway's capture writes it. */
    private void report(String id, String state, String reason) throws Exception {
        String row = "{\"rollout_id\":\"" + id + "\",\"model\":\"sensor-anomaly\",\"version\":\"3\","
                + "\"previous_version\":\"1\",\"state\":\"" + state + "\",\"reason\":\"" + reason + "\","
                + "\"chunks_total\":3,\"chunks_received\":3,\"missing\":\"\"}";
        String envelope = "{\"before\":null,\"after\":" + row + ",\"op\":\"c\",\"ts_ms\":1796482800000,"
                + "\"source\":{\"version\":\"0.1.0\",\"connector\":\"mecgw\",\"name\":\"" + canary + "\",\"site\":\""
                + canary + "\",\"db\":\"mecgw\",\"schema\":\"public\",\"table\":\"mecgw_model_installs\","
                + "\"lsn\":100,\"generation\":1,\"ts_ms\":1796482800000}}";
        try (Producer<String, byte[]> producer = kafka.producer()) {
            producer.send(new ProducerRecord<>(
                            canary + ".public.mecgw_model_installs",
                            "{\"rollout_id\":\"" + id + "\"}",
                            envelope.getBytes(StandardCharsets.UTF_8)))
                    .get();
        }
    }

    private List<JsonNode> consume(String topic, int count) throws Exception {
        List<JsonNode> messages = new ArrayList<>();
        try (Consumer<byte[], byte[]> consumer = kafka.consumer("test-" + UUID.randomUUID())) {
            consumer.subscribe(List.of(topic));
            await().atMost(WAIT).until(() -> {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(500))) {
                    messages.add(JSON.readTree(record.value()));
                }
                return messages.size() >= count;
            });
        }
        return messages;
    }

    private static RequestSpecification api() {
        return given().header("Authorization", "Bearer test-admin-token");
    }
}
