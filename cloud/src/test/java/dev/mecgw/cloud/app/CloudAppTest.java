package dev.mecgw.cloud.app;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import dev.mecgw.cloud.kafka.KafkaClients;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The cloud application with its embedded PostgreSQL and Kafka: gateway change records (Debezium envelope and the
 * earlier flat format) produced straight to the site topics land in the typed tables and the fleet API; commands
 * go out on the downlink topic and report the mirrored edge status.
 */
@QuarkusTest
@QuarkusTestResource(value = FreshDataDir.class, restrictToAnnotatedClass = false)
class CloudAppTest {

    private static final Duration WAIT = Duration.ofSeconds(90);

    @Inject
    KafkaClients kafka;

    @Inject
    AgroalDataSource dataSource;

    private Producer<String, byte[]> producer;
    // The test data directory outlives a run: every test uses sites of its own.
    private final String site = "t" + UUID.randomUUID().toString().substring(0, 8);

    @BeforeEach
    void givenAProducer() {
        producer = kafka.producer();
    }

    @AfterEach
    void closeProducer() {
        producer.close();
    }

    @Test
    void shouldLandDevicesEventsTwinsAndRollupsTypedWhenAGatewayPublishesEnvelopes() {
        // given a site's snapshot in the Debezium envelope, one event in the earlier flat format
        send("devices", "{\"id\":\"d1\"}", Records.envelope(site, "devices", "r", 1, 100, device("d1", true)));
        send("devices", "{\"id\":\"d2\"}", Records.envelope(site, "devices", "r", 1, 101, device("d2", false)));
        send(
                "device_twins",
                "{\"device_id\":\"d1\"}",
                Records.envelope(
                        site,
                        "device_twins",
                        "c",
                        1,
                        102,
                        "{\"device_id\":\"d1\",\"desired\":\"{\\\"rate\\\":5}\",\"desired_version\":3,"
                                + "\"reported\":\"{}\",\"reported_version\":0,"
                                + "\"updated_at\":\"2026-12-05T15:00:00Z\"}"));
        send(
                "events",
                "{\"id\":7}",
                Records.flat(
                        site,
                        "events",
                        "c",
                        103,
                        "{\"id\":7}",
                        "{\"id\":7,\"ts\":\"2026-12-05T15:00:01Z\",\"device_id\":\"d1\",\"kind\":\"alarm\","
                                + "\"severity\":\"warning\",\"payload\":\"{\\\"t\\\":81.5}\"}"));
        send(
                "telemetry_rollup_1m",
                "{\"device_id\":\"d1\",\"metric\":\"temp\",\"minute\":\"2026-12-05T15:00:00Z\"}",
                Records.envelope(
                        site,
                        "telemetry_rollup_1m",
                        "c",
                        1,
                        104,
                        "{\"device_id\":\"d1\",\"metric\":\"temp\",\"minute\":\"2026-12-05T15:00:00Z\","
                                + "\"min\":20.5,\"max\":22.0,\"avg\":21.2,\"count\":60}"));

        // then the fleet API shows them typed
        await().atMost(WAIT)
                .untilAsserted(() -> api().get("/api/v1/sites/{s}/devices", site)
                        .then()
                        .statusCode(200)
                        .body("id", equalTo(List.of("d1", "d2"))));
        api().get("/api/v1/sites/{s}/devices?online=true", site)
                .then()
                .body("id", equalTo(List.of("d1")))
                .body("[0].labels.floor", equalTo(2));
        await().atMost(WAIT)
                .untilAsserted(() -> api().get("/api/v1/sites/{s}/events?from=2026-12-05T00:00:00Z&limit=10", site)
                        .then()
                        .statusCode(200)
                        .body("[0].kind", equalTo("alarm"))
                        .body("[0].payload.t", equalTo(81.5f)));
        await().atMost(WAIT)
                .untilAsserted(() -> api().get(
                                "/api/v1/sites/{s}/devices/d1/rollups?metric=temp&from=2026-12-05T14:00:00Z"
                                        + "&to=2026-12-05T16:00:00Z",
                                site)
                        .then()
                        .statusCode(200)
                        .body("[0].count", equalTo(60))
                        .body("[0].avg", equalTo(21.2f)));
        await().atMost(WAIT)
                .until(() -> query("SELECT desired->>'rate' FROM device_twins WHERE site_id = '" + site
                                + "' AND device_id = 'd1'")
                        .equals("5"));
        api().get("/api/v1/sites")
                .then()
                .statusCode(200)
                .body("find { it.siteId == '" + site + "' }.lastChangeAt", equalTo("2026-12-05T15:00:00Z"));
    }

    @Test
    void shouldApplyTheNewestVersionPerKeyWhenChangesArriveOutOfOrder() throws SQLException {
        // given version 2 of d1, then an older (gen 1, lsn 150) version, then a newer generation with a lower LSN
        send("devices", "{\"id\":\"d1\"}", Records.envelope(site, "devices", "u", 1, 200, device("d1", true, "v2")));
        send("devices", "{\"id\":\"d1\"}", Records.envelope(site, "devices", "u", 1, 150, device("d1", true, "old")));
        send("devices", "{\"id\":\"d9\"}", Records.envelope(site, "devices", "c", 1, 300, device("d9", true)));
        await().atMost(WAIT)
                .untilAsserted(() ->
                        api().get("/api/v1/sites/{s}/devices", site).then().body("id", equalTo(List.of("d1", "d9"))));
        assertThat(query("SELECT type FROM devices WHERE site_id = '" + site + "' AND id = 'd1'"))
                .isEqualTo("v2");

        // when a restored edge database (generation 2) writes d1 at a lower LSN, and deletes d9
        send("devices", "{\"id\":\"d1\"}", Records.envelope(site, "devices", "u", 2, 10, device("d1", true, "gen2")));
        send("devices", "{\"id\":\"d9\"}", Records.delete(site, "devices", 2, 11, "{\"id\":\"d9\"}"));
        send("devices", "{\"id\":\"d9\"}", null);

        // then the newer generation wins, and the deleted device is hidden but kept as a tombstone
        await().atMost(WAIT)
                .until(() -> query("SELECT type FROM devices WHERE site_id = '" + site + "' AND id = 'd1'")
                        .equals("gen2"));
        await().atMost(WAIT)
                .untilAsserted(() ->
                        api().get("/api/v1/sites/{s}/devices", site).then().body("id", equalTo(List.of("d1"))));
        assertThat(query("SELECT deleted || ':' || src_generation || ':' || src_lsn FROM devices WHERE site_id = '"
                        + site + "' AND id = 'd9'"))
                .isEqualTo("true:2:11");
    }

    @Test
    void shouldKeepAnUnknownEdgeColumnInExtraWhenALaterGatewayAddsIt() {
        // given a gateway release whose devices table has a column this cloud does not know
        send(
                "devices",
                "{\"id\":\"d1\"}",
                Records.envelope(
                        site,
                        "devices",
                        "c",
                        1,
                        100,
                        "{\"id\":\"d1\",\"type\":\"sensor\",\"online\":true,\"firmware\":\"2.1.0\"}"));

        // then the row lands typed and the new column is kept, not lost
        await().atMost(WAIT)
                .until(() ->
                        "2.1.0".equals(query("SELECT extra->>'firmware' FROM devices WHERE site_id = '" + site + "'")));
    }

    @Test
    void shouldShowASiteOnlineWithItsBacklogWhenItsGatewaySendsHeartbeats() {
        producer.send(new ProducerRecord<>(
                "mecgw.heartbeats",
                site,
                ("{\"siteId\":\"" + site + "\",\"sentAt\":\"" + Instant.now() + "\",\"gatewayVersion\":\"0.1.0\","
                                + "\"health\":\"UP\",\"backlogRows\":123,\"lagSeconds\":0.4,\"devicesOnline\":20,"
                                + "\"devicesTotal\":25,\"models\":{\"sensor-anomaly\":\"3\"}}")
                        .getBytes(StandardCharsets.UTF_8)));
        await().atMost(WAIT)
                .untilAsserted(() -> api().get("/api/v1/sites")
                        .then()
                        .body("find { it.siteId == '" + site + "' }.online", equalTo(true))
                        .body("find { it.siteId == '" + site + "' }.backlogRows", equalTo(123))
                        .body("find { it.siteId == '" + site + "' }.lagSeconds", equalTo(0.4f)));
    }

    @Test
    void shouldSendACommandOnTheDownlinkAndReportTheSiteStatusWhenTheDeviceIsKnown() throws Exception {
        send("devices", "{\"id\":\"d1\"}", Records.envelope(site, "devices", "c", 1, 100, device("d1", true)));
        await().atMost(WAIT)
                .untilAsserted(() ->
                        api().get("/api/v1/sites/{s}/devices", site).then().body("id", equalTo(List.of("d1"))));

        // unknown device: problem+json
        api().contentType(ContentType.JSON)
                .body("{\"name\":\"reboot\"}")
                .post("/api/v1/sites/{s}/devices/nope/commands", site)
                .then()
                .statusCode(404)
                .contentType("application/problem+json");
        // invalid ttl: problem+json naming the field
        api().contentType(ContentType.JSON)
                .body("{\"name\":\"reboot\",\"ttl\":\"soon\"}")
                .post("/api/v1/sites/{s}/devices/d1/commands", site)
                .then()
                .statusCode(400)
                .body("errors[0].field", equalTo("ttl"));

        String id = api().contentType(ContentType.JSON)
                .body("{\"name\":\"reboot\",\"payload\":{\"delay\":5},\"ttl\":\"PT10M\"}")
                .post("/api/v1/sites/{s}/devices/d1/commands", site)
                .then()
                .statusCode(202)
                .extract()
                .path("id");
        api().get("/api/v1/sites/{s}/commands/{id}", site, id)
                .then()
                .statusCode(200)
                .body("status", equalTo("queued"));
        String desiredId = api().contentType(ContentType.JSON)
                .body("{\"rate\":10}")
                .put("/api/v1/sites/{s}/devices/d1/twin/desired", site)
                .then()
                .statusCode(202)
                .body("version", equalTo(1))
                .extract()
                .path("id");

        // then both messages are on the site's downlink topic, keyed by device
        List<String> downlink = readDownlink(2);
        assertThat(downlink.get(0))
                .contains("\"id\":\"" + id + "\"", "\"kind\":\"command\"", "\"name\":\"reboot\"", "\"delay\":5");
        assertThat(downlink.get(1)).contains("\"id\":\"" + desiredId + "\"", "\"version\":1", "\"rate\":10");

        // when the site's mecgw_downlink_applied row replicates
        send(
                "mecgw_downlink_applied",
                "{\"id\":\"" + id + "\"}",
                Records.envelope(
                        site,
                        "mecgw_downlink_applied",
                        "c",
                        1,
                        120,
                        "{\"id\":\"" + id + "\",\"kind\":\"command\",\"device_id\":\"d1\",\"version\":0,"
                                + "\"outcome\":\"acknowledged\",\"applied_at\":\"2026-12-05T15:00:00Z\"}"));
        await().atMost(WAIT)
                .untilAsserted(() -> api().get("/api/v1/sites/{s}/commands/{id}", site, id)
                        .then()
                        .body("status", equalTo("acknowledged")));
    }

    @Test
    void shouldRefuseTheApiWithoutTheBearerToken() {
        given().get("/api/v1/sites").then().statusCode(401).contentType("application/problem+json");
        given().header("Authorization", "Bearer wrong")
                .get("/api/v1/sites")
                .then()
                .statusCode(401);
        given().get("/q/health/ready").then().statusCode(200);
    }

    @Test
    void shouldAnswerProblemJsonForAnUnknownSite() {
        api().get("/api/v1/sites/nowhere-{s}/devices", site)
                .then()
                .statusCode(404)
                .contentType("application/problem+json")
                .body("detail", equalTo("Site nowhere-" + site + " not found"));
    }

    private List<String> readDownlink(int count) {
        List<String> values = new ArrayList<>();
        try (Consumer<byte[], byte[]> consumer = kafka.consumer("test-" + UUID.randomUUID())) {
            // Assigned, not subscribed: no group join to wait for.
            List<TopicPartition> partitions = consumer.partitionsFor(site + ".downlink").stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition()))
                    .toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            await().atMost(WAIT).until(() -> {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    assertThat(new String(record.key(), StandardCharsets.UTF_8)).isEqualTo("d1");
                    values.add(new String(record.value(), StandardCharsets.UTF_8));
                }
                return values.size() >= count;
            });
        }
        return values;
    }

    static String device(String id, boolean online) {
        return device(id, online, "sensor");
    }

    static String device(String id, boolean online, String type) {
        return "{\"id\":\"" + id + "\",\"type\":\"" + type + "\",\"labels\":\"{\\\"floor\\\":2}\",\"online\":" + online
                + ",\"last_seen\":\"2026-12-05T15:00:00Z\",\"version\":1}";
    }

    private void send(String table, String key, String value) {
        try {
            producer.send(new ProducerRecord<>(
                            site + ".public." + table,
                            key,
                            value == null ? null : value.getBytes(StandardCharsets.UTF_8)))
                    .get();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private String query(String sql) throws SQLException {
        try (Connection connection = dataSource.getConnection();
                Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery(sql)) {
            return rows.next() ? rows.getString(1) : null;
        }
    }

    private static RequestSpecification api() {
        return given().header("Authorization", "Bearer test-admin-token");
    }
}
