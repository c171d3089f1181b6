package dev.mecgw.app.twin;

import static dev.mecgw.app.twin.DownlinkFixtures.WAIT;
import static dev.mecgw.app.twin.DownlinkFixtures.givenDevice;
import static dev.mecgw.app.twin.DownlinkFixtures.text;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import dev.mecgw.app.mqtt.MqttBroker;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Desired twin: a cloud version and a local REST edit follow one rule, the newer intent wins and a superseded one is
 * recorded stale with its reason, in both orders (issue 17, docs/sync.md "Desired twin: cloud and local edits").
 */
@QuarkusTest
@TestProfile(DownlinkCloudProfile.class)
class PostgresTwinStoreTest {

    @Inject
    DataSource dataSource;

    @Inject
    MqttBroker mqtt;

    private DownlinkFixtures fixtures;

    @BeforeEach
    void setUp() {
        fixtures = new DownlinkFixtures(dataSource, DownlinkKafkaResource.kafka);
    }

    @AfterEach
    void tearDown() throws Exception {
        fixtures.close();
    }

    @Test
    void shouldApplyLaterCloudVersionWhenLocalEditBumpedTheVersionInBetween() throws Exception {
        // given cloud v1 applied, then a local edit (which bumps the device-facing version)
        String device = givenDevice("twin");
        String v1 = cloudDesired(device, 1, "{\"mode\":\"cloud-1\"}", null);
        fixtures.awaitStatus(v1, "applied");
        localEdit(device, "{\"mode\":\"local\"}");
        // when the cloud's next version, issued after the local edit, arrives
        String v2 =
                cloudDesired(device, 2, "{\"mode\":\"cloud-2\"}", Instant.now().toString());
        // then it applies: the newer intent wins
        fixtures.awaitStatus(v2, "applied");
        assertThat(desired(device)).isEqualTo("cloud-2 cloud v3");
        // and devices get it, retained on the desired topic
        List<Mqtt5Publish> received = new CopyOnWriteArrayList<>();
        Mqtt5AsyncClient client = fixtures.mqttDevice(mqtt.port(), device, device + "-d", 0, received);
        client.subscribeWith()
                .topicFilter("devices/" + device + "/twin/desired")
                .qos(MqttQos.AT_LEAST_ONCE)
                .send()
                .get(10, TimeUnit.SECONDS);
        await().atMost(WAIT).until(() -> !received.isEmpty());
        assertThat(text(received.get(received.size() - 1))).contains("cloud-2");
    }

    @Test
    void shouldKeepLocalEditAndRecordStaleWhenCloudIntentIsOlder() throws Exception {
        // given a local edit
        String device = givenDevice("twin");
        localEdit(device, "{\"mode\":\"local\"}");
        // when a cloud version issued before that edit arrives late (after an outage)
        String late = cloudDesired(
                device,
                5,
                "{\"mode\":\"cloud-old\"}",
                Instant.now().minusSeconds(3600).toString());
        // then the local edit stays, and the cloud sees why its version did not apply
        await().atMost(WAIT).until(() -> {
            String status = fixtures.status(late);
            return status != null && status.startsWith("stale: a newer local edit");
        });
        assertThat(desired(device)).isEqualTo("local edge v1");
        // and a cloud version without issue time counts from its arrival, after the edit: it applies
        String fresh = cloudDesired(device, 6, "{\"mode\":\"cloud-new\"}", null);
        fixtures.awaitStatus(fresh, "applied");
        assertThat(desired(device)).isEqualTo("cloud-new cloud v2");
    }

    private String cloudDesired(String device, long version, String payload, String issuedAt) throws Exception {
        String id = UUID.randomUUID().toString();
        fixtures.cloudSends(
                device,
                "{\"id\":\"" + id + "\",\"kind\":\"desired\",\"deviceId\":\"" + device + "\",\"version\":" + version
                        + ",\"payload\":" + payload + (issuedAt == null ? "" : ",\"issuedAt\":\"" + issuedAt + "\"")
                        + "}");
        return id;
    }

    private static void localEdit(String device, String desired) {
        given().header("Authorization", DownlinkFixtures.ADMIN)
                .contentType(ContentType.JSON)
                .body(desired)
                .put("/api/v1/devices/" + device + "/twin/desired")
                .then()
                .statusCode(200);
    }

    /** {@code <mode> <origin> v<desired_version>} */
    private String desired(String device) throws Exception {
        return fixtures.query(
                "SELECT (desired->>'mode') || ' ' || desired_origin || ' v' || desired_version FROM device_twins"
                        + " WHERE device_id = ?",
                device);
    }
}
