package dev.mecgw.app.sync.app;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;

/**
 * The configured flow inside the gateway (issue 4): a device registered over REST and events written locally reach
 * the site topic and the central database through a local cloud, masked and filtered by the sync policy, and
 * {@code /q/health} shows sync running with the backhaul up.
 */
@QuarkusTest
@TestProfile(SyncFlowTest.WithLocalCloud.class)
class SyncFlowTest {

    private static final Duration ARRIVAL = Duration.ofSeconds(60);

    /** A reachable cloud and a row filter on events. */
    public static class WithLocalCloud implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("mecgw.sync.row-filters.\"public.events\"", "kind <> 'debug'");
        }

        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(LocalCloudResource.class));
        }
    }

    @Inject
    AgroalDataSource dataSource;

    @Test
    void shouldReachSiteTopicAndCloudDatabaseWhenDeviceIsRegisteredOverRest() throws Exception {
        // given
        String id = "flow-" + UUID.randomUUID().toString().substring(0, 8);
        // when
        given().header("Authorization", "Bearer test-admin-token")
                .contentType(ContentType.JSON)
                .body("{\"id\":\"" + id + "\",\"type\":\"sensor\",\"sim\":{\"supi\":\"imsi-001010000000042\"}}")
                .post("/api/v1/devices")
                .then()
                .statusCode(201);
        // then: on the site topic, keyed by primary key, with the SUPI masked
        List<ConsumerRecord<String, String>> records = readTopic(LocalCloudResource.SITE + ".public.devices", id);
        assertThat(records).isNotEmpty().allSatisfy(record -> {
            assertThat(record.key()).isEqualTo("{\"id\":\"" + id + "\"}");
            assertThat(record.value())
                    .contains("\"site\":\"site-flow\"")
                    .contains("hmac:")
                    .doesNotContain("001010000000042");
        });
        // and in the central database; health shows the link up
        await().atMost(ARRIVAL).until(() -> cloudCount("public.devices", "pk = '{\"id\":\"" + id + "\"}'") == 1);
        given().get("/q/health/ready")
                .then()
                .statusCode(200)
                .body("checks.find { it.name == 'sync' }.data.state", equalTo("running"))
                .body("checks.find { it.name == 'sync' }.data.backhaul", equalTo("up"))
                .body("checks.find { it.name == 'sync' }.data.replicationLagMillis", notNullValue());
    }

    @Test
    void shouldKeepFilteredEventLocalWhenRowFilterExcludesIt() throws Exception {
        // when
        long debug = insertEvent("debug");
        long alarm = insertEvent("alarm");
        // then: the alarm arrives; the debug row, written before it, never does
        await().atMost(ARRIVAL).until(() -> cloudCount("public.events", "pk = '{\"id\":" + alarm + "}'") == 1);
        assertThat(cloudCount("public.events", "pk = '{\"id\":" + debug + "}'")).isZero();
    }

    @Test
    void shouldFindNoIdentifierInCloudWhenDeviceAndEventPayloadCarryThem() throws Exception {
        // given: a device with SIM identifiers, a UE address label and a camera URL with a password, and an identity
        // event payload as the RAN identity check writes it (issue 14.9)
        String id = "leak-" + UUID.randomUUID().toString().substring(0, 8);
        String supi = "imsi-001010000000099";
        String gpsi = "msisdn-4915100000099";
        String ueIp = "10.45.0.99";
        String password = "cam-s3cret-99";
        given().header("Authorization", "Bearer test-admin-token")
                .contentType(ContentType.JSON)
                .body("{\"id\":\"" + id + "\",\"type\":\"sensor\",\"labels\":{\"ue-ipv4\":\"" + ueIp
                        + "\",\"mjpeg-url\":\"http://admin:" + password + "@cam-99.example/stream\"},"
                        + "\"sim\":{\"supi\":\"" + supi + "\",\"gpsi\":\"" + gpsi + "\"}}")
                .post("/api/v1/devices")
                .then()
                .statusCode(201);
        long event = insertEvent(
                id,
                "ran.identity.onboarded",
                "{\"ueAddress\":\"" + ueIp + "\",\"slice\":\"1:000001\",\"gpsi\":\"" + gpsi + "\"}");
        // when: both rows reached the cloud
        await().atMost(ARRIVAL).until(() -> cloudCount("public.devices", "pk = '{\"id\":\"" + id + "\"}'") == 1);
        await().atMost(ARRIVAL).until(() -> cloudCount("public.events", "pk = '{\"id\":" + event + "}'") == 1);
        // then: a scan of every replicated row finds none of the identifiers the test used
        for (String secret : List.of(supi, "001010000000099", gpsi, "4915100000099", ueIp, password)) {
            assertThat(cloudCount(null, "(data::text LIKE '%" + secret + "%' OR pk LIKE '%" + secret + "%')"))
                    .as(secret)
                    .isZero();
        }
    }

    private long insertEvent(String deviceId, String kind, String payload) throws Exception {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement insert = connection.prepareStatement(
                        "INSERT INTO events (device_id, kind, payload) VALUES (?, ?, ?::jsonb) RETURNING id")) {
            insert.setString(1, deviceId);
            insert.setString(2, kind);
            insert.setString(3, payload);
            try (ResultSet row = insert.executeQuery()) {
                row.next();
                return row.getLong(1);
            }
        }
    }

    private long insertEvent(String kind) throws Exception {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement insert = connection.prepareStatement(
                        "INSERT INTO events (kind, payload) VALUES (?, '{}') RETURNING id")) {
            insert.setString(1, kind);
            try (ResultSet row = insert.executeQuery()) {
                row.next();
                return row.getLong(1);
            }
        }
    }

    /** Live (not deleted) rows of the test site in the cloud mirror; -1 before the applier created its table. */
    static long cloudCount(String table, String where) throws Exception {
        try (Connection connection =
                        DriverManager.getConnection(LocalCloudResource.cloud.cloudJdbcUrl(), "postgres", null);
                Statement statement = connection.createStatement();
                ResultSet row = statement.executeQuery(
                        "SELECT count(*) FROM mecgw_cloud_rows WHERE site_id = '" + LocalCloudResource.SITE + "'"
                                + (table == null ? "" : " AND table_name = '" + table + "'") + " AND NOT deleted AND "
                                + where)) {
            row.next();
            return row.getLong(1);
        } catch (java.sql.SQLException e) {
            // the applier creates its table with the first change
            return -1;
        }
    }

    private static List<ConsumerRecord<String, String>> readTopic(String topic, String id) {
        List<ConsumerRecord<String, String>> found = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                LocalCloudResource.cloud.cloudBootstrap(),
                ConsumerConfig.GROUP_ID_CONFIG,
                "sync-flow-test-" + id,
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
                "earliest",
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG,
                StringDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG,
                StringDeserializer.class))) {
            consumer.subscribe(List.of(topic));
            await().atMost(ARRIVAL).until(() -> {
                consumer.poll(Duration.ofMillis(200)).forEach(record -> {
                    if (record.key().contains(id)) {
                        found.add(record);
                    }
                });
                return !found.isEmpty();
            });
        }
        return found;
    }
}
