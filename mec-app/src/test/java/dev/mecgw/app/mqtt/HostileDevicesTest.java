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
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5PubAckException;
import com.hivemq.client.mqtt.mqtt5.message.connect.connack.Mqtt5ConnAck;
import com.hivemq.client.mqtt.mqtt5.message.connect.connack.Mqtt5ConnAckReasonCode;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5PublishResult;
import com.hivemq.client.mqtt.mqtt5.message.publish.puback.Mqtt5PubAckReasonCode;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
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
        // and the bad readings were refused at parse time, visible as events: rejections are aggregated per device
        // and minute (issue 14.10), so the row appears once the minute is over and the next flush ran
        await().atMost(Duration.ofSeconds(90)).until(() -> events(attacker, "telemetry.rejected") > 0);
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

    @Test
    void shouldRefuseDecompressionBombsAndFramesFromNonCamerasWhileServingOthers() throws Exception {
        // given: a camera, a sensor, and a well-behaved device publishing telemetry
        String camera = givenDevice("camera");
        String sensor = givenDevice("sensor");
        String good = givenDevice("sensor");
        Mqtt5BlockingClient cam = connected5(port, camera);
        Mqtt5BlockingClient notACamera = connected5(port, sensor);
        Mqtt5BlockingClient b = connected5(port, good);
        byte[] bomb = png(9000, 9000);
        long rssBefore = rssBytes();
        // when: the camera publishes six 9000x9000 PNGs (~243 MB each once decoded), the sensor a small frame
        List<Throwable> bombs = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            bombs.add(catchThrowable(() -> frame(cam, camera, bomb)));
        }
        Throwable sensorFrame = catchThrowable(() -> frame(notACamera, sensor, png(64, 64)));
        List<CompletableFuture<Mqtt5PublishResult>> acks = new ArrayList<>();
        Instant base = Instant.now().minus(Duration.ofHours(1));
        for (int i = 0; i < 200; i++) {
            acks.add(b.toAsync()
                    .publishWith()
                    .topic("devices/" + good + "/telemetry")
                    .payload(bytes("{\"ts\":" + base.plusMillis(i).toEpochMilli() + ",\"x\":" + i + "}"))
                    .qos(MqttQos.AT_LEAST_ONCE)
                    .send());
        }
        // then: every bomb is refused as "payload format invalid", the sensor as "not authorized"
        assertThat(bombs)
                .allSatisfy(e -> assertThat(pubAck(e)).isEqualTo(Mqtt5PubAckReasonCode.PAYLOAD_FORMAT_INVALID));
        assertThat(pubAck(sensorFrame)).isEqualTo(Mqtt5PubAckReasonCode.NOT_AUTHORIZED);
        // and a frame within the budget is still taken from the camera
        frame(cam, camera, png(64, 64));
        // and the well-behaved device is served in full
        CompletableFuture.allOf(acks.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
        assertThat(storedReadings(good)).isEqualTo(200);
        // and memory stayed bounded: six decoded bombs alone would be ~1.4 GB
        long grown = rssBytes() - rssBefore;
        System.out.printf("RSS before the frame bombs %d MiB, growth %d MiB%n", rssBefore >> 20, grown >> 20);
        assertThat(grown).isLessThan(256L << 20);
        List.of(cam, notACamera, b).forEach(Mqtt5BlockingClient::disconnect);
    }

    private static void frame(Mqtt5BlockingClient client, String device, byte[] image) {
        client.publishWith()
                .topic("devices/" + device + "/frames")
                .payload(image)
                .qos(MqttQos.AT_LEAST_ONCE)
                .send();
    }

    private static Mqtt5PubAckReasonCode pubAck(Throwable e) {
        assertThat(e).isInstanceOf(Mqtt5PubAckException.class);
        return ((Mqtt5PubAckException) e).getMqttMessage().getReasonCode();
    }

    /** A valid RGB PNG of zero pixels: tiny on the wire, width x height x 3 bytes once decoded. */
    static byte[] png(int width, int height) {
        return ZeroPng.of(width, height);
    }

    /** Resident set size of this JVM (which hosts the gateway under test), from /proc. */
    static long rssBytes() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("\\D", "")) * 1024;
            }
        }
        return 0;
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
