package dev.mecgw.app.mqtt;

import static dev.mecgw.app.mqtt.MqttFixtures.ADMIN;
import static dev.mecgw.app.mqtt.MqttFixtures.PASSWORD;
import static dev.mecgw.app.mqtt.MqttFixtures.bytes;
import static dev.mecgw.app.mqtt.MqttFixtures.connected5;
import static dev.mecgw.app.mqtt.MqttFixtures.givenDevice;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt3.exceptions.Mqtt3ConnAckException;
import com.hivemq.client.mqtt.mqtt3.message.connect.connack.Mqtt3ConnAckReturnCode;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5ConnAckException;
import com.hivemq.client.mqtt.mqtt5.message.connect.connack.Mqtt5ConnAck;
import com.hivemq.client.mqtt.mqtt5.message.connect.connack.Mqtt5ConnAckReasonCode;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5PublishResult;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 15, "hostile and broken devices": each attack is sent over the real MQTT socket while a well-behaved
 * device keeps publishing, and every reading of the well-behaved device must be acknowledged and stored.
 */
@QuarkusTest
class HostileDevicesTest {

    private static final int GOOD_READINGS = 2000;

    @Inject
    MqttBroker broker;

    @Inject
    DataSource dataSource;

    int port;

    @BeforeEach
    void setUp() {
        port = broker.port();
    }

    @Test
    void shouldAckAndStoreEveryGoodReadingWhenAnotherDeviceSendsTimestampsOutOfRange() throws Exception {
        // given: A sends readings whose ts PostgreSQL cannot store, interleaved with B's good QoS 1 readings
        String attacker = givenDevice("sensor");
        String good = givenDevice("sensor");
        Mqtt5AsyncClient a = connected5(port, attacker).toAsync();
        Mqtt5BlockingClient b = connected5(port, good);
        Instant base = Instant.now().minus(Duration.ofHours(1));
        // when
        List<CompletableFuture<Mqtt5PublishResult>> acks = new ArrayList<>();
        for (int i = 0; i < GOOD_READINGS; i++) {
            if (i % 10 == 0) {
                a.publishWith()
                        .topic("devices/" + attacker + "/telemetry")
                        .payload(bytes("{\"ts\":9300000000000000,\"x\":1}"))
                        .qos(MqttQos.AT_MOST_ONCE)
                        .send();
            }
            acks.add(b.toAsync()
                    .publishWith()
                    .topic("devices/" + good + "/telemetry")
                    .payload(bytes("{\"ts\":" + base.plusMillis(i).toEpochMilli() + ",\"x\":" + i + "}"))
                    .qos(MqttQos.AT_LEAST_ONCE)
                    .send());
        }
        // then: every good reading is acknowledged without error and stored
        CompletableFuture.allOf(acks.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
        assertThat(acks).allSatisfy(ack -> assertThat(ack.join().getError()).isEmpty());
        assertThat(storedReadings(good)).isEqualTo(GOOD_READINGS);
        // and the bad readings were refused at parse time, visible as events
        await().atMost(Duration.ofSeconds(10)).until(() -> events(attacker, "telemetry.rejected") > 0);
        a.disconnect();
        b.disconnect();
    }

    @Test
    void shouldRefuseAnotherDevicesClientIdAndKeepTheOwnersSession() throws Exception {
        // given: A holds a persistent session under its own id and is connected
        String owner = givenDevice("sensor");
        String intruder = givenDevice("sensor");
        Mqtt5BlockingClient a = MqttFixtures.mqtt5(port, owner);
        a.connectWith()
                .cleanStart(false)
                .sessionExpiryInterval(3600)
                .simpleAuth()
                .username(owner)
                .password(bytes(PASSWORD))
                .applySimpleAuth()
                .send();
        // when: B, with its own valid credentials, presents A's client id over MQTT 5 and 3.1.1
        Throwable five = catchThrowable(() -> MqttFixtures.mqtt5(port, owner)
                .connectWith()
                .cleanStart(true)
                .simpleAuth()
                .username(intruder)
                .password(bytes(PASSWORD))
                .applySimpleAuth()
                .send());
        Throwable three = catchThrowable(() -> MqttFixtures.mqtt3(port, owner)
                .connectWith()
                .simpleAuth()
                .username(intruder)
                .password(bytes(PASSWORD))
                .applySimpleAuth()
                .send());
        // and B tries an id that merely starts with A's id but not with A's id and a separator
        Throwable lookalike = catchThrowable(() -> MqttFixtures.mqtt5(port, owner + "x")
                .connectWith()
                .simpleAuth()
                .username(intruder)
                .password(bytes(PASSWORD))
                .applySimpleAuth()
                .send());
        // then: 0x85 "client identifier not valid" / 0x02 "identifier rejected"
        assertThat(((Mqtt5ConnAckException) five).getMqttMessage().getReasonCode())
                .isEqualTo(Mqtt5ConnAckReasonCode.CLIENT_IDENTIFIER_NOT_VALID);
        assertThat(((Mqtt3ConnAckException) three).getMqttMessage().getReturnCode())
                .isEqualTo(Mqtt3ConnAckReturnCode.IDENTIFIER_REJECTED);
        assertThat(((Mqtt5ConnAckException) lookalike).getMqttMessage().getReasonCode())
                .isEqualTo(Mqtt5ConnAckReasonCode.CLIENT_IDENTIFIER_NOT_VALID);
        // and A is still connected and served, and its persistent session survives a reconnect
        assertThat(a.getState().isConnected()).isTrue();
        a.publishWith()
                .topic("devices/" + owner + "/telemetry")
                .payload(bytes("{\"x\":1}"))
                .qos(MqttQos.AT_LEAST_ONCE)
                .send();
        a.disconnect();
        Throwable whileAway = catchThrowable(() -> MqttFixtures.mqtt5(port, owner)
                .connectWith()
                .simpleAuth()
                .username(intruder)
                .password(bytes(PASSWORD))
                .applySimpleAuth()
                .send());
        assertThat(whileAway).isInstanceOf(Mqtt5ConnAckException.class);
        Mqtt5ConnAck back = a.connectWith()
                .cleanStart(false)
                .sessionExpiryInterval(3600)
                .simpleAuth()
                .username(owner)
                .password(bytes(PASSWORD))
                .applySimpleAuth()
                .send();
        assertThat(back.isSessionPresent()).isTrue();
        // and B may use ids bound to itself
        Mqtt5BlockingClient own = MqttFixtures.mqtt5(port, intruder + ":second");
        own.connectWith()
                .simpleAuth()
                .username(intruder)
                .password(bytes(PASSWORD))
                .applySimpleAuth()
                .send();
        own.disconnect();
        a.disconnect();
    }

    static int storedReadings(String device) {
        return given().header("Authorization", ADMIN)
                .queryParam("limit", 100_000)
                .get("/api/v1/devices/{id}/telemetry", device)
                .then()
                .statusCode(200)
                .extract()
                .jsonPath()
                .getList("$")
                .size();
    }

    int events(String device, String kind) throws Exception {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps =
                        c.prepareStatement("SELECT count(*) FROM events WHERE device_id = ? AND kind = ?")) {
            ps.setString(1, device);
            ps.setString(2, kind);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }
}
