package dev.mecgw.app.mqtt;

import static dev.mecgw.app.mqtt.MqttFixtures.ADMIN;
import static dev.mecgw.app.mqtt.MqttFixtures.PASSWORD;
import static dev.mecgw.app.mqtt.MqttFixtures.bytes;
import static dev.mecgw.app.mqtt.MqttFixtures.connected3;
import static dev.mecgw.app.mqtt.MqttFixtures.connected5;
import static dev.mecgw.app.mqtt.MqttFixtures.givenAclRule;
import static dev.mecgw.app.mqtt.MqttFixtures.givenDevice;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.is;

import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt3.Mqtt3BlockingClient;
import com.hivemq.client.mqtt.mqtt3.exceptions.Mqtt3ConnAckException;
import com.hivemq.client.mqtt.mqtt3.exceptions.Mqtt3SubAckException;
import com.hivemq.client.mqtt.mqtt3.message.connect.connack.Mqtt3ConnAckReturnCode;
import com.hivemq.client.mqtt.mqtt3.message.subscribe.suback.Mqtt3SubAckReturnCode;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5ConnAckException;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5PubAckException;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5SubAckException;
import com.hivemq.client.mqtt.mqtt5.message.connect.connack.Mqtt5ConnAckReasonCode;
import com.hivemq.client.mqtt.mqtt5.message.disconnect.Mqtt5DisconnectReasonCode;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5PublishResult;
import com.hivemq.client.mqtt.mqtt5.message.publish.puback.Mqtt5PubAckReasonCode;
import com.hivemq.client.mqtt.mqtt5.message.subscribe.suback.Mqtt5SubAckReasonCode;
import dev.mecgw.inference.vision.VisionPipeline;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@QuarkusTest
class MqttBrokerTest {

    @Inject
    MqttBroker broker;

    @Inject
    VisionPipeline vision;

    int port;

    @BeforeEach
    void setUp() {
        port = broker.port();
    }

    @Test
    void shouldRefuseConnectWhenPasswordIsWrong() {
        // given
        String device = givenDevice("sensor");
        Mqtt5BlockingClient v5 = MqttFixtures.mqtt5(port, "wrong-5");
        Mqtt3BlockingClient v3 = MqttFixtures.mqtt3(port, "wrong-3");
        // when
        Throwable five = catchThrowable(() -> v5.connectWith()
                .simpleAuth()
                .username(device)
                .password(bytes("not-the-password"))
                .applySimpleAuth()
                .send());
        Throwable three = catchThrowable(() -> v3.connectWith()
                .simpleAuth()
                .username(device)
                .password(bytes("not-the-password"))
                .applySimpleAuth()
                .send());
        Throwable anonymous =
                catchThrowable(() -> MqttFixtures.mqtt5(port, "anon").connect());
        // then
        assertThat(five).isInstanceOf(Mqtt5ConnAckException.class);
        assertThat(((Mqtt5ConnAckException) five).getMqttMessage().getReasonCode())
                .isEqualTo(Mqtt5ConnAckReasonCode.BAD_USER_NAME_OR_PASSWORD);
        assertThat(((Mqtt3ConnAckException) three).getMqttMessage().getReturnCode())
                .isEqualTo(Mqtt3ConnAckReturnCode.BAD_USER_NAME_OR_PASSWORD);
        assertThat(((Mqtt5ConnAckException) anonymous).getMqttMessage().getReasonCode())
                .isEqualTo(Mqtt5ConnAckReasonCode.BAD_USER_NAME_OR_PASSWORD);
    }

    @Test
    void shouldRelayOnceAndRetainWhenAclRuleGrantsSiteTopic() throws Exception {
        // given: sensors may publish site alarms, cameras may subscribe to them
        givenAclRule("sensor", "PUBLISH", "site/alarms/#");
        givenAclRule("camera", "SUBSCRIBE", "site/alarms/#");
        String alarm = "fire-" + java.util.UUID.randomUUID();
        Mqtt5BlockingClient sensor = connected5(port, givenDevice("sensor"));
        Mqtt5BlockingClient camera = connected5(port, givenDevice("camera"));
        try (Mqtt5BlockingClient.Mqtt5Publishes received = camera.publishes(MqttGlobalPublishFilter.ALL)) {
            camera.subscribeWith()
                    .topicFilter("site/alarms/+/" + alarm)
                    .qos(MqttQos.EXACTLY_ONCE)
                    .send();
            // when
            sensor.publishWith()
                    .topic("site/alarms/fire/" + alarm)
                    .payload(bytes("smoke"))
                    .qos(MqttQos.EXACTLY_ONCE)
                    .retain(true)
                    .send();
            // then: delivered exactly once at QoS 2
            Optional<Mqtt5Publish> first = received.receive(5, TimeUnit.SECONDS);
            assertThat(first).isPresent();
            assertThat(new String(first.get().getPayloadAsBytes(), StandardCharsets.UTF_8))
                    .isEqualTo("smoke");
            assertThat(first.get().getQos()).isEqualTo(MqttQos.EXACTLY_ONCE);
            // and not twice: a later marker on the same path is the very next delivery
            sensor.publishWith()
                    .topic("site/alarms/fire/" + alarm)
                    .payload(bytes("marker"))
                    .qos(MqttQos.EXACTLY_ONCE)
                    .send();
            assertThat(received.receive(5, TimeUnit.SECONDS))
                    .hasValueSatisfying(p -> assertThat(p.getPayloadAsBytes()).isEqualTo(bytes("marker")));
        }
        // and a later subscriber gets the retained message
        Mqtt5BlockingClient late = connected5(port, givenDevice("camera"));
        try (Mqtt5BlockingClient.Mqtt5Publishes received = late.publishes(MqttGlobalPublishFilter.ALL)) {
            late.subscribeWith()
                    .topicFilter("site/alarms/fire/" + alarm)
                    .qos(MqttQos.AT_LEAST_ONCE)
                    .send();
            Optional<Mqtt5Publish> retained = received.receive(5, TimeUnit.SECONDS);
            assertThat(retained).isPresent();
            assertThat(retained.get().isRetain()).isTrue();
        }
        List.of(sensor, camera, late).forEach(Mqtt5BlockingClient::disconnect);
    }

    @Test
    void shouldAnswerNotAuthorizedWhenDevicePublishesOrSubscribesOutsideItsTopics() {
        // given
        String other = givenDevice("sensor");
        Mqtt5BlockingClient sensor = connected5(port, givenDevice("sensor"));
        try (Mqtt5BlockingClient.Mqtt5Publishes spy = connected5(port, other).publishes(MqttGlobalPublishFilter.ALL)) {
            // when
            Mqtt5PubAckReasonCode publishCode = pubackCode(() -> sensor.publishWith()
                    .topic("devices/" + other + "/commands/x")
                    .payload(bytes("{}"))
                    .qos(MqttQos.AT_LEAST_ONCE)
                    .send());
            Throwable refused = catchThrowable(() ->
                    sensor.subscribeWith().topicFilter("devices/+/telemetry").send());
            Mqtt5SubAckReasonCode subscribeCode = ((Mqtt5SubAckException) refused)
                    .getMqttMessage()
                    .getReasonCodes()
                    .get(0);
            // then
            assertThat(publishCode).isEqualTo(Mqtt5PubAckReasonCode.NOT_AUTHORIZED);
            assertThat(subscribeCode).isEqualTo(Mqtt5SubAckReasonCode.NOT_AUTHORIZED);
        }
        sensor.disconnect();
    }

    @Test
    void shouldStoreTelemetryAndServeItOverRestWhenDevicePublishesQos1() {
        // given
        String device = givenDevice("sensor");
        Mqtt5BlockingClient client = connected5(port, device);
        // when
        Mqtt5PubAckReasonCode code = pubackCode(() -> client.publishWith()
                .topic("devices/" + device + "/telemetry")
                .payload(bytes("{\"temp\": 21.5, \"hum\": 40}"))
                .qos(MqttQos.AT_LEAST_ONCE)
                .send());
        // then: acknowledged means committed, so the REST read sees it at once
        assertThat(code).isEqualTo(Mqtt5PubAckReasonCode.SUCCESS);
        given().header("Authorization", ADMIN)
                .get("/api/v1/devices/" + device + "/telemetry")
                .then()
                .statusCode(200)
                .body("$", hasSize(2));
        given().header("Authorization", ADMIN)
                .get("/api/v1/devices/" + device)
                .then()
                .statusCode(200)
                .body("status.online", is(true));
        client.disconnect();
        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(() -> given().header("Authorization", ADMIN)
                        .get("/api/v1/devices/" + device)
                        .then()
                        .body("status.online", is(false)));
    }

    @Test
    void shouldHandFrameToVisionPipelineWhenCameraPublishesOnFrames() {
        // given a camera and the pipeline's counters
        String camera = givenDevice("camera");
        Mqtt5BlockingClient client = connected5(port, camera);
        long analyzedBefore = vision.stats().processed() + vision.stats().failed();
        // when it publishes a small PNG, and then bytes that are no image
        Mqtt5PubAckReasonCode code = pubackCode(() -> client.publishWith()
                .topic("devices/" + camera + "/frames")
                .payload(HostileDevicesTest.png(32, 32))
                .qos(MqttQos.AT_LEAST_ONCE)
                .send());
        Mqtt5PubAckReasonCode garbage = pubackCode(() -> client.publishWith()
                .topic("devices/" + camera + "/frames")
                .payload(bytes("not an image"))
                .qos(MqttQos.AT_LEAST_ONCE)
                .send());
        // then the frame reached the pipeline (with no model installed it counts as failed there), and the
        // garbage was refused before decoding (issue 15)
        assertThat(code).isEqualTo(Mqtt5PubAckReasonCode.SUCCESS);
        assertThat(garbage).isEqualTo(Mqtt5PubAckReasonCode.PAYLOAD_FORMAT_INVALID);
        await().atMost(Duration.ofSeconds(10))
                .until(() -> vision.stats().processed() + vision.stats().failed() > analyzedBefore);
        client.disconnect();
    }

    @Test
    void shouldRefuseWithPayloadFormatInvalidWhenTelemetryIsNotJson() {
        // given
        String device = givenDevice("sensor");
        Mqtt5BlockingClient client = connected5(port, device);
        // when
        Mqtt5PubAckReasonCode code = pubackCode(() -> client.publishWith()
                .topic("devices/" + device + "/telemetry")
                .payload(bytes("not json"))
                .qos(MqttQos.AT_LEAST_ONCE)
                .send());
        // then: refused, and the connection keeps working
        assertThat(code).isEqualTo(Mqtt5PubAckReasonCode.PAYLOAD_FORMAT_INVALID);
        assertThat(pubackCode(() -> client.publishWith()
                        .topic("devices/" + device + "/telemetry")
                        .payload(bytes("{\"v\": 1}"))
                        .qos(MqttQos.AT_LEAST_ONCE)
                        .send()))
                .isEqualTo(Mqtt5PubAckReasonCode.SUCCESS);
        client.disconnect();
    }

    @Test
    void shouldDeliverWillWhenDeviceDisconnectsWithWill() throws Exception {
        // given
        givenAclRule("camera", "SUBSCRIBE", "site/status/#");
        givenAclRule("sensor", "PUBLISH", "site/status/#");
        String device = givenDevice("sensor");
        Mqtt5BlockingClient watcher = connected5(port, givenDevice("camera"));
        Mqtt5BlockingClient dying = MqttFixtures.mqtt5(port, device + "-dying");
        dying.connectWith()
                .simpleAuth()
                .username(device)
                .password(bytes(PASSWORD))
                .applySimpleAuth()
                .willPublish()
                .topic("site/status/" + device)
                .payload(bytes("gone"))
                .qos(MqttQos.AT_LEAST_ONCE)
                .applyWillPublish()
                .send();
        try (Mqtt5BlockingClient.Mqtt5Publishes received = watcher.publishes(MqttGlobalPublishFilter.ALL)) {
            watcher.subscribeWith()
                    .topicFilter("site/status/#")
                    .qos(MqttQos.AT_LEAST_ONCE)
                    .send();
            // when
            dying.disconnectWith()
                    .reasonCode(Mqtt5DisconnectReasonCode.DISCONNECT_WITH_WILL_MESSAGE)
                    .send();
            // then
            Optional<Mqtt5Publish> will = received.receive(5, TimeUnit.SECONDS);
            assertThat(will).isPresent();
            assertThat(new String(will.get().getPayloadAsBytes(), StandardCharsets.UTF_8))
                    .isEqualTo("gone");
        }
        watcher.disconnect();
    }

    @Test
    void shouldDeliverCommandAndRetainedDesiredTwinWhenPostedOverRest() throws Exception {
        // given
        String device = givenDevice("camera");
        Mqtt5BlockingClient client = connected5(port, device);
        try (Mqtt5BlockingClient.Mqtt5Publishes received = client.publishes(MqttGlobalPublishFilter.ALL)) {
            client.subscribeWith()
                    .topicFilter("devices/" + device + "/commands/#")
                    .qos(MqttQos.AT_LEAST_ONCE)
                    .send();
            // when
            given().header("Authorization", ADMIN)
                    .contentType(ContentType.JSON)
                    .body(Map.of("name", "reboot", "payload", Map.of("delay", 5)))
                    .post("/api/v1/devices/" + device + "/commands")
                    .then()
                    .statusCode(202);
            given().header("Authorization", ADMIN)
                    .contentType(ContentType.JSON)
                    .body(Map.of("fps", 15))
                    .put("/api/v1/devices/" + device + "/twin/desired")
                    .then()
                    .statusCode(200)
                    .body("desiredVersion", is(1));
            // then
            Optional<Mqtt5Publish> command = received.receive(5, TimeUnit.SECONDS);
            assertThat(command).isPresent();
            assertThat(command.get().getTopic().toString()).isEqualTo("devices/" + device + "/commands/reboot");
            assertThat(new String(command.get().getPayloadAsBytes(), StandardCharsets.UTF_8))
                    .contains("\"delay\":5");
            client.subscribeWith()
                    .topicFilter("devices/" + device + "/twin/desired")
                    .send();
            Optional<Mqtt5Publish> desired = received.receive(5, TimeUnit.SECONDS);
            assertThat(desired).isPresent();
            assertThat(desired.get().isRetain()).isTrue();
        }
        // and the reported document is stored
        client.publishWith()
                .topic("devices/" + device + "/twin/reported")
                .payload(bytes("{\"fps\":15}"))
                .qos(MqttQos.AT_LEAST_ONCE)
                .send();
        given().header("Authorization", ADMIN)
                .get("/api/v1/devices/" + device + "/twin")
                .then()
                .statusCode(200)
                .body("reported.fps", is(15));
        client.disconnect();
    }

    @Test
    void shouldQueueCommandsWhenPersistentSessionIsOffline() throws Exception {
        // given: a persistent session that went offline
        String device = givenDevice("camera");
        Mqtt5BlockingClient client = MqttFixtures.mqtt5(port, device + "-persistent");
        client.connectWith()
                .cleanStart(true)
                .sessionExpiryInterval(300)
                .simpleAuth()
                .username(device)
                .password(bytes(PASSWORD))
                .applySimpleAuth()
                .send();
        client.subscribeWith()
                .topicFilter("devices/" + device + "/commands/#")
                .qos(MqttQos.AT_LEAST_ONCE)
                .send();
        client.disconnect();
        // when
        given().header("Authorization", ADMIN)
                .contentType(ContentType.JSON)
                .body(Map.of("name", "ping", "payload", 1))
                .post("/api/v1/devices/" + device + "/commands")
                .then()
                .statusCode(202);
        // then
        try (Mqtt5BlockingClient.Mqtt5Publishes received = client.publishes(MqttGlobalPublishFilter.ALL)) {
            boolean present = client.connectWith()
                    .cleanStart(false)
                    .sessionExpiryInterval(300)
                    .simpleAuth()
                    .username(device)
                    .password(bytes(PASSWORD))
                    .applySimpleAuth()
                    .send()
                    .isSessionPresent();
            assertThat(present).isTrue();
            Optional<Mqtt5Publish> queued = received.receive(5, TimeUnit.SECONDS);
            assertThat(queued).isPresent();
            assertThat(queued.get().getTopic().toString()).endsWith("/commands/ping");
        }
        client.disconnect();
    }

    @Test
    void shouldRelayQos2OnceAndRefuseForeignSubscriptionWhenClientsSpeakMqtt311() throws Exception {
        // given
        String topic = "site/v311/" + java.util.UUID.randomUUID();
        givenAclRule("sensor", "PUBLISH", "site/v311/#");
        givenAclRule("camera", "SUBSCRIBE", "site/v311/#");
        Mqtt3BlockingClient sensor = connected3(port, givenDevice("sensor"));
        Mqtt3BlockingClient camera = connected3(port, givenDevice("camera"));
        try (Mqtt3BlockingClient.Mqtt3Publishes received = camera.publishes(MqttGlobalPublishFilter.ALL)) {
            camera.subscribeWith().topicFilter(topic).qos(MqttQos.EXACTLY_ONCE).send();
            // when
            sensor.publishWith()
                    .topic(topic)
                    .payload(bytes("v311"))
                    .qos(MqttQos.EXACTLY_ONCE)
                    .send();
            // then
            assertThat(received.receive(5, TimeUnit.SECONDS))
                    .hasValueSatisfying(p -> assertThat(p.getQos()).isEqualTo(MqttQos.EXACTLY_ONCE));
            // and not twice: a later marker on the same path is the very next delivery
            sensor.publishWith()
                    .topic(topic)
                    .payload(bytes("marker"))
                    .qos(MqttQos.EXACTLY_ONCE)
                    .send();
            assertThat(received.receive(5, TimeUnit.SECONDS))
                    .hasValueSatisfying(p -> assertThat(p.getPayloadAsBytes()).isEqualTo(bytes("marker")));
        }
        Throwable denied = catchThrowable(
                () -> sensor.subscribeWith().topicFilter("devices/#").send());
        assertThat(((Mqtt3SubAckException) denied).getMqttMessage().getReturnCodes())
                .containsExactly(Mqtt3SubAckReturnCode.FAILURE);
        sensor.disconnect();
        camera.disconnect();
    }

    @Test
    void shouldRefuseWithQuotaExceededWhenClientHoldsTooManySubscriptions() {
        // given: the test profile allows 20 subscriptions per client
        givenAclRule("camera", "SUBSCRIBE", "site/quota/#");
        Mqtt5BlockingClient camera = connected5(port, givenDevice("camera"));
        for (int i = 0; i < 20; i++) {
            camera.subscribeWith().topicFilter("site/quota/" + i).send();
        }
        // when
        Throwable refused = catchThrowable(
                () -> camera.subscribeWith().topicFilter("site/quota/21").send());
        // then
        assertThat(((Mqtt5SubAckException) refused).getMqttMessage().getReasonCodes())
                .containsExactly(Mqtt5SubAckReasonCode.QUOTA_EXCEEDED);
        camera.disconnect();
    }

    private static Mqtt5PubAckReasonCode pubackCode(java.util.function.Supplier<Mqtt5PublishResult> publish) {
        try {
            Mqtt5PublishResult result = publish.get();
            if (result instanceof Mqtt5PublishResult.Mqtt5Qos1Result qos1) {
                return qos1.getPubAck().getReasonCode();
            }
            throw new AssertionError("not a QoS 1 result: " + result);
        } catch (Mqtt5PubAckException e) {
            return e.getMqttMessage().getReasonCode();
        }
    }
}
