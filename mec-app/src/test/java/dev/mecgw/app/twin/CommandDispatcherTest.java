package dev.mecgw.app.twin;

import static dev.mecgw.app.twin.DownlinkFixtures.WAIT;
import static dev.mecgw.app.twin.DownlinkFixtures.commandJson;
import static dev.mecgw.app.twin.DownlinkFixtures.givenDevice;
import static dev.mecgw.app.twin.DownlinkFixtures.subscribeCommands;
import static dev.mecgw.app.twin.DownlinkFixtures.text;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt3.Mqtt3BlockingClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import dev.mecgw.app.coap.app.CoapLifecycle;
import dev.mecgw.app.mqtt.MqttBroker;
import dev.mecgw.app.mqtt.MqttDeviceMessenger;
import dev.mecgw.app.problem.ErrorKind;
import dev.mecgw.app.problem.GatewayException;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.eclipse.californium.core.CoapHandler;
import org.eclipse.californium.core.CoapObserveRelation;
import org.eclipse.californium.core.CoapResponse;
import org.eclipse.californium.core.coap.CoAP.ResponseCode;
import org.eclipse.californium.core.coap.MediaTypeRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Commands from the cloud's downlink reach real devices exactly as REST commands do, once per id, and their status
 * goes at-site → delivered → acknowledged, or expired, or failed (issue 17, docs/commands.md).
 */
@QuarkusTest
@TestProfile(DownlinkCloudProfile.class)
class CommandDispatcherTest {

    @Inject
    DataSource dataSource;

    @Inject
    MqttBroker mqtt;

    @Inject
    CoapLifecycle coap;

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
    void shouldDeliverAndAcknowledgeWhenMqttDeviceIsSubscribed() throws Exception {
        // given a device subscribed to its commands
        String device = givenDevice("pump");
        List<Mqtt5Publish> received = new CopyOnWriteArrayList<>();
        Mqtt5AsyncClient client = fixtures.mqttDevice(mqtt.port(), device, device + "-c", 0, received);
        subscribeCommands(client, device);
        // when the cloud sends a command
        String id = fixtures.cloudCommands(device, "reboot", "{\"delay\":5}", null);
        // then the device gets it as a REST command, with the id and response topic, and PUBACK makes it delivered
        await().atMost(WAIT).until(() -> !received.isEmpty());
        Mqtt5Publish command = received.get(0);
        assertThat(command.getTopic().toString()).isEqualTo("devices/" + device + "/commands/reboot");
        assertThat(text(command)).isEqualTo("{\"delay\":5}");
        assertThat(StandardCharsets.UTF_8
                        .decode(command.getCorrelationData().orElseThrow())
                        .toString())
                .isEqualTo(id);
        assertThat(command.getResponseTopic().orElseThrow().toString())
                .isEqualTo("devices/" + device + "/commands/reboot/response");
        fixtures.awaitStatus(id, "delivered");
        // when the device responds
        client.publishWith()
                .topic("devices/" + device + "/commands/reboot/response")
                .qos(MqttQos.AT_LEAST_ONCE)
                .payload(("{\"id\":\"" + id + "\",\"ok\":true}").getBytes(StandardCharsets.UTF_8))
                .send()
                .get(10, TimeUnit.SECONDS);
        // then
        fixtures.awaitStatus(id, "acknowledged");
        assertThat(fixtures.query(
                        "SELECT payload->'response'->>'ok' FROM events WHERE kind = 'command-response'"
                                + " AND payload->>'id' = ?",
                        id))
                .isEqualTo("true");
    }

    @Test
    void shouldDeliverOnReconnectWhenPersistentSessionWasOffline() throws Exception {
        // given a persistent session that subscribed, then went offline
        String device = givenDevice("valve");
        List<Mqtt5Publish> received = new CopyOnWriteArrayList<>();
        Mqtt5AsyncClient first = fixtures.mqttDevice(mqtt.port(), device, device + "-p", 300, received);
        subscribeCommands(first, device);
        first.disconnect().get(10, TimeUnit.SECONDS);
        // when
        String id = fixtures.cloudCommands(device, "close", "{}", null);
        fixtures.awaitStatus(id, "at-site");
        await().atMost(WAIT)
                .until(() -> fixtures.query("SELECT handed_at IS NOT NULL FROM mecgw_command_outbox WHERE id = ?", id)
                        .equals("t"));
        fixtures.mqttDevice(mqtt.port(), device, device + "-p", 300, received);
        // then
        await().atMost(WAIT)
                .until(() ->
                        received.stream().anyMatch(p -> p.getTopic().toString().endsWith("/commands/close")));
        fixtures.awaitStatus(id, "delivered");
    }

    @Test
    void shouldExpireAndNeverDeliverWhenTtlPassesWhileDeviceIsOffline() throws Exception {
        // given an offline persistent session
        String device = givenDevice("lamp");
        List<Mqtt5Publish> received = new CopyOnWriteArrayList<>();
        Mqtt5AsyncClient first = fixtures.mqttDevice(mqtt.port(), device, device + "-t", 300, received);
        subscribeCommands(first, device);
        first.disconnect().get(10, TimeUnit.SECONDS);
        // when a command with a short TTL waits past it
        String id = fixtures.cloudCommands(
                device, "blink", "{}", Instant.now().plusSeconds(2).toString());
        fixtures.awaitStatus(id, "expired: not delivered before it expired");
        fixtures.mqttDevice(mqtt.port(), device, device + "-t", 300, received);
        String marker = fixtures.cloudCommands(device, "marker", "{}", null);
        // then the device gets only the later command
        fixtures.awaitStatus(marker, "delivered");
        assertThat(received)
                .extracting(p -> p.getTopic().toString())
                .containsExactly("devices/" + device + "/commands/marker");
        assertThat(fixtures.status(id)).isEqualTo("expired: not delivered before it expired");
    }

    @Test
    void shouldFailWithReasonWhenDeviceIsUnknown() throws Exception {
        // when
        String id =
                fixtures.cloudCommands("ghost-" + UUID.randomUUID().toString().substring(0, 8), "x", "{}", null);
        // then
        await().atMost(WAIT).until(() -> {
            String status = fixtures.status(id);
            return status != null && status.startsWith("failed: unknown device ghost-");
        });
    }

    @Test
    void shouldDeliverOnceWhenDownlinkRecordIsRedelivered() throws Exception {
        // given
        String device = givenDevice("fan");
        List<Mqtt5Publish> received = new CopyOnWriteArrayList<>();
        Mqtt5AsyncClient client = fixtures.mqttDevice(mqtt.port(), device, device + "-r", 0, received);
        subscribeCommands(client, device);
        String id = UUID.randomUUID().toString();
        String record = commandJson(id, device, "spin", "{\"rpm\":900}", null);
        // when the same record arrives twice, then a marker behind it
        fixtures.cloudSends(device, record);
        fixtures.awaitStatus(id, "delivered");
        fixtures.cloudSends(device, record);
        String marker = fixtures.cloudCommands(device, "marker", "{}", null);
        fixtures.awaitStatus(marker, "delivered");
        // then
        assertThat(received)
                .extracting(p -> p.getTopic().toString())
                .containsExactly("devices/" + device + "/commands/spin", "devices/" + device + "/commands/marker");
        assertThat(fixtures.status(id)).isEqualTo("delivered");
    }

    @Test
    void shouldQueueAndDeliverOnceWhenHandedWasNotRecordedBeforeRestart() throws Exception {
        // given an offline persistent session of the device
        String device = givenDevice("door");
        String clientId = device + "-once";
        List<Mqtt5Publish> received = new CopyOnWriteArrayList<>();
        Mqtt5AsyncClient first = fixtures.mqttDevice(mqtt.port(), device, clientId, 300, received);
        subscribeCommands(first, device);
        first.disconnect().get(10, TimeUnit.SECONDS);
        // and a dispatcher that stores the command into the session, then cannot record it handed (the crash
        // between the two commits, made deterministic)
        AtomicInteger notRecorded = new AtomicInteger();
        PostgresCommandLedger failing = new PostgresCommandLedger(dataSource) {
            @Override
            void handed(String commandId) {
                notRecorded.incrementAndGet();
                throw new GatewayException(ErrorKind.UNAVAILABLE, "Command store unavailable");
            }
        };
        DeviceCommand command = new DeviceCommand(
                device, UUID.randomUUID().toString(), "unlock", "{}".getBytes(StandardCharsets.UTF_8), Instant.now());
        try (CommandDispatcher crashed = givenADispatcher(failing)) {
            crashed.start();
            crashed.issue(command).toCompletableFuture().get(10, TimeUnit.SECONDS);
            await().atMost(WAIT).until(() -> notRecorded.get() == 1);
        }
        // when a restarted dispatcher hands what is not recorded handed
        try (CommandDispatcher restarted = givenADispatcher(new PostgresCommandLedger(dataSource))) {
            restarted.start();
            await().atMost(WAIT)
                    .until(() -> "t"
                            .equals(fixtures.query(
                                    "SELECT handed_at IS NOT NULL FROM mecgw_command_outbox WHERE id = ?",
                                    command.commandId())));
        }
        // then the session holds one copy, and the device gets it once when it reconnects
        assertThat(fixtures.query("SELECT count(*) FROM mqtt_session_messages WHERE client_id = ?", clientId))
                .isEqualTo("1");
        fixtures.mqttDevice(mqtt.port(), device, clientId, 300, received);
        String marker = fixtures.cloudCommands(device, "marker", "{}", null);
        fixtures.awaitStatus(marker, "delivered");
        assertThat(received)
                .extracting(p -> p.getTopic().toString())
                .containsExactly("devices/" + device + "/commands/unlock", "devices/" + device + "/commands/marker");
    }

    private CommandDispatcher givenADispatcher(PostgresCommandLedger ledger) {
        return new CommandDispatcher(
                ledger, new MqttDeviceMessenger(mqtt), DeviceUpdatePublisher.inProcess(), new ObjectMapper());
    }

    @Test
    void shouldAcknowledgeOldestUnansweredWhenMqtt311DeviceRespondsWithoutId() throws Exception {
        // given an MQTT 3.1.1 device, which cannot see the command id
        String device = givenDevice("relay");
        Mqtt3BlockingClient client = com.hivemq.client.mqtt.MqttClient.builder()
                .useMqttVersion3()
                .identifier(device + "-3")
                .serverHost("127.0.0.1")
                .serverPort(mqtt.port())
                .buildBlocking();
        client.connectWith()
                .simpleAuth()
                .username(device)
                .password(DownlinkFixtures.PASSWORD.getBytes(StandardCharsets.UTF_8))
                .applySimpleAuth()
                .send();
        try {
            client.subscribeWith()
                    .topicFilter("devices/" + device + "/commands/+")
                    .qos(MqttQos.AT_LEAST_ONCE)
                    .send();
            String id = fixtures.cloudCommands(device, "open", "{}", null);
            fixtures.awaitStatus(id, "delivered");
            // when
            client.publishWith()
                    .topic("devices/" + device + "/commands/open/response")
                    .qos(MqttQos.AT_LEAST_ONCE)
                    .payload("done".getBytes(StandardCharsets.UTF_8))
                    .send();
            // then
            fixtures.awaitStatus(id, "acknowledged");
        } finally {
            client.disconnect();
        }
    }

    @Test
    void shouldDeliverAndAcknowledgeWhenCoapDeviceObservesCommands() throws Exception {
        // given a CoAP device observing /commands over DTLS
        String device = givenDevice("meter");
        List<String> seen = new CopyOnWriteArrayList<>();
        CoapObserveRelation relation = fixtures.coapDevice(coap.dtlsAddress(), device, "/commands")
                .observeAndWait(new CoapHandler() {
                    @Override
                    public void onLoad(CoapResponse response) {
                        seen.add(response.getResponseText());
                    }

                    @Override
                    public void onError() {
                        // the await below fails instead
                    }
                });
        try {
            // when
            String id = fixtures.cloudCommands(device, "calibrate", "{\"zero\":true}", null);
            // then the notification carries the command, and its ACK makes it delivered
            await().atMost(WAIT).until(() -> seen.stream().anyMatch(p -> p.contains(id)));
            assertThat(seen).anyMatch(p -> p.contains("\"name\":\"calibrate\"") && p.contains("\"zero\":true"));
            fixtures.awaitStatus(id, "delivered");
            // when the device posts its response
            CoapResponse answer = fixtures.coapDevice(coap.dtlsAddress(), device, "/commands")
                    .post("{\"id\":\"" + id + "\",\"ok\":true}", MediaTypeRegistry.APPLICATION_JSON);
            // then
            assertThat(answer).as("answer to the command response").isNotNull();
            assertThat(answer.getCode()).isEqualTo(ResponseCode.CHANGED);
            fixtures.awaitStatus(id, "acknowledged");
        } finally {
            relation.proactiveCancel();
        }
    }

    @Test
    void shouldTrackStatusWhenCommandIsIssuedOverRest() throws Exception {
        // given
        String device = givenDevice("door");
        List<Mqtt5Publish> received = new CopyOnWriteArrayList<>();
        Mqtt5AsyncClient client = fixtures.mqttDevice(mqtt.port(), device, device + "-l", 0, received);
        subscribeCommands(client, device);
        // when
        String id = given().header("Authorization", DownlinkFixtures.ADMIN)
                .contentType(ContentType.JSON)
                .body(Map.of("name", "unlock", "payload", Map.of("for", 10)))
                .post("/api/v1/devices/" + device + "/commands")
                .then()
                .statusCode(202)
                .extract()
                .jsonPath()
                .getString("commandId");
        // then the device gets the payload as sent, and the status is tracked
        fixtures.awaitStatus(id, "delivered");
        assertThat(received).extracting(DownlinkFixtures::text).containsExactly("{\"for\":10}");
        given().header("Authorization", DownlinkFixtures.ADMIN)
                .get("/api/v1/devices/" + device + "/commands/" + id)
                .then()
                .statusCode(200)
                .body("status", equalTo("delivered"));
    }
}
