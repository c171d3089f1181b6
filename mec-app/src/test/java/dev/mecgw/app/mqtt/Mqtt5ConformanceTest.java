package dev.mecgw.app.mqtt;

import static dev.mecgw.app.mqtt.MqttFixtures.bytes;
import static dev.mecgw.app.mqtt.MqttFixtures.mqtt5;
import static dev.mecgw.app.mqtt.PahoClients.WAIT_MS;
import static dev.mecgw.app.mqtt.StandaloneBroker.givenABroker;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5DisconnectException;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5PubAckException;
import com.hivemq.client.mqtt.mqtt5.message.connect.connack.Mqtt5ConnAck;
import com.hivemq.client.mqtt.mqtt5.message.connect.connack.Mqtt5ConnAckRestrictions;
import com.hivemq.client.mqtt.mqtt5.message.disconnect.Mqtt5DisconnectReasonCode;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import com.hivemq.client.mqtt.mqtt5.message.publish.puback.Mqtt5PubAck;
import dev.mecgw.app.mqtt.PahoClients.Paho5;
import dev.mecgw.app.mqtt.PahoClients.Received;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 20 item 8: the rest of the MQTT 5 statements listed in docs/mqtt.md ("Conformance"), with both client
 * libraries: CONNACK capability flags, request/response properties passed through, Reason Strings only when the
 * client wants problem information.
 */
class Mqtt5ConformanceTest {

    private StandaloneBroker broker;

    @BeforeEach
    void setUp() throws Exception {
        broker = givenABroker(Map.of());
    }

    @AfterEach
    void tearDown() throws Exception {
        broker.close();
    }

    @Test
    void shouldAdvertiseCapabilitiesWhenClientsConnect() throws Exception {
        // when
        Mqtt5BlockingClient hive = mqtt5(broker.port(), "conf-hive");
        Mqtt5ConnAckRestrictions restrictions = hive.connect().getRestrictions();
        try (Paho5 paho = new Paho5(broker.port(), "conf-paho").connect()) {
            MqttProperties props = paho.connackProperties();
            // then: QoS 2 and retain available (absent = yes), wildcards, shared subscriptions, subscription ids
            assertThat(restrictions.getMaximumQos()).isEqualTo(MqttQos.EXACTLY_ONCE);
            assertThat(restrictions.isRetainAvailable()).isTrue();
            assertThat(restrictions.isWildcardSubscriptionAvailable()).isTrue();
            assertThat(restrictions.isSharedSubscriptionAvailable()).isTrue();
            assertThat(restrictions.areSubscriptionIdentifiersAvailable()).isTrue();
            assertThat(restrictions.getTopicAliasMaximum()).isEqualTo(32);
            assertThat(restrictions.getReceiveMaximum()).isEqualTo(1000);
            assertThat(props.getMaximumQoS()).isNull();
            assertThat(props.isRetainAvailable()).isNotEqualTo(Boolean.FALSE);
            assertThat(props.isWildcardSubscriptionsAvailable()).isTrue();
            assertThat(props.isSharedSubscriptionAvailable()).isTrue();
            assertThat(props.isSubscriptionIdentifiersAvailable()).isTrue();
        }
        hive.disconnect();
    }

    @Test
    void shouldPassResponseTopicAndCorrelationDataWhenPahoRequestsAndHiveMqResponds() throws Exception {
        // given: a responder (HiveMQ) and a requester (Paho)
        Mqtt5BlockingClient responder = mqtt5(broker.port(), "conf-responder");
        responder.connect();
        try (Mqtt5BlockingClient.Mqtt5Publishes requests = responder.publishes(MqttGlobalPublishFilter.ALL);
                Paho5 requester = new Paho5(broker.port(), "conf-requester").connect()) {
            responder.subscribeWith().topicFilter("svc/request").send();
            requester.client.subscribe("svc/reply/conf", 1).waitForCompletion(WAIT_MS);
            MqttProperties props = new MqttProperties();
            props.setResponseTopic("svc/reply/conf");
            props.setCorrelationData(bytes("req-42"));
            props.setContentType("application/json");
            props.setPayloadFormat(true);
            MqttMessage request = new MqttMessage(bytes("{\"q\":1}"));
            request.setQos(1);
            request.setProperties(props);
            // when
            requester.client.publish("svc/request", request).waitForCompletion(WAIT_MS);
            Mqtt5Publish received = requests.receive(10, TimeUnit.SECONDS).orElseThrow();
            responder
                    .publishWith()
                    .topic(received.getResponseTopic().orElseThrow())
                    .correlationData(received.getCorrelationData().orElseThrow())
                    .payload(bytes("{\"a\":2}"))
                    .qos(MqttQos.AT_LEAST_ONCE)
                    .send();
            Received reply = requester.received.poll(WAIT_MS, TimeUnit.MILLISECONDS);
            // then
            assertThat(received.getResponseTopic().orElseThrow().toString()).isEqualTo("svc/reply/conf");
            assertThat(StandardCharsets.UTF_8
                            .decode(received.getCorrelationData().orElseThrow())
                            .toString())
                    .isEqualTo("req-42");
            assertThat(received.getContentType().orElseThrow().toString()).isEqualTo("application/json");
            assertThat(reply.topic()).isEqualTo("svc/reply/conf");
            assertThat(reply.message().getProperties().getCorrelationData()).isEqualTo(bytes("req-42"));
        }
        responder.disconnect();
    }

    @Test
    void shouldSendReasonStringOnlyWhenClientRequestsProblemInformation() {
        // given
        Mqtt5BlockingClient wants = mqtt5(broker.port(), "conf-problems");
        wants.connect();
        Mqtt5BlockingClient quiet = mqtt5(broker.port(), "conf-quiet");
        Mqtt5ConnAck connack = quiet.connectWith()
                .restrictions()
                .requestProblemInformation(false)
                .applyRestrictions()
                .send();
        // when
        Mqtt5PubAck withReason = refusedPuback(wants);
        Mqtt5PubAck withoutReason = refusedPuback(quiet);
        // then
        assertThat(connack.getReasonCode().isError()).isFalse();
        assertThat(withReason.getReasonString()).isPresent();
        assertThat(withoutReason.getReasonString()).isEmpty();
        wants.disconnect();
        quiet.disconnect();
    }

    @Test
    void shouldDisconnectWithTopicAliasInvalidWhenPublishUsesAliasAboveMaximum() throws Exception {
        try (Socket socket = new Socket("127.0.0.1", broker.port())) {
            socket.setSoTimeout(15_000);
            DataInputStream in = new DataInputStream(socket.getInputStream());
            socket.getOutputStream().write(RawMqttPackets.connectV5("conf-alias", 60));
            assertThat(in.readUnsignedByte()).isEqualTo(0x20);
            in.skipNBytes(in.readUnsignedByte());
            // when: a PUBLISH with Topic Alias 33, above the broker's 32
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            RawMqttPackets.string(body, "conf/alias");
            body.writeBytes(new byte[] {3, 0x23, 0, 33});
            body.writeBytes(bytes("x"));
            socket.getOutputStream().write(RawMqttPackets.packet(0x30, body.toByteArray()));
            // then
            assertThat(in.readUnsignedByte()).isEqualTo(0xE0);
            in.readUnsignedByte();
            assertThat(in.readUnsignedByte()).isEqualTo(0x94);
        }
    }

    @Test
    void shouldSkipOwnMessagesWhenHiveMqSubscribesWithNoLocal() throws Exception {
        // given
        Mqtt5BlockingClient self = mqtt5(broker.port(), "conf-nolocal");
        self.connect();
        Mqtt5BlockingClient other = mqtt5(broker.port(), "conf-other");
        other.connect();
        try (Mqtt5BlockingClient.Mqtt5Publishes publishes = self.publishes(MqttGlobalPublishFilter.ALL)) {
            self.subscribeWith().topicFilter("conf/nl").noLocal(true).send();
            // when
            self.publishWith()
                    .topic("conf/nl")
                    .payload(bytes("own"))
                    .qos(MqttQos.AT_LEAST_ONCE)
                    .send();
            other.publishWith()
                    .topic("conf/nl")
                    .payload(bytes("other"))
                    .qos(MqttQos.AT_LEAST_ONCE)
                    .send();
            // then
            Mqtt5Publish first = publishes.receive(10, TimeUnit.SECONDS).orElseThrow();
            assertThat(new String(first.getPayloadAsBytes(), StandardCharsets.UTF_8))
                    .isEqualTo("other");
        }
        self.disconnect();
        other.disconnect();
    }

    @Test
    void shouldDisconnectOldConnectionWithSessionTakenOverWhenSameClientIdConnects() {
        // given
        List<Throwable> causes = new CopyOnWriteArrayList<>();
        Mqtt5BlockingClient first = MqttClient.builder()
                .useMqttVersion5()
                .identifier("conf-takeover")
                .serverHost("127.0.0.1")
                .serverPort(broker.port())
                .addDisconnectedListener(context -> causes.add(context.getCause()))
                .buildBlocking();
        first.connect();
        // when
        Mqtt5BlockingClient second = mqtt5(broker.port(), "conf-takeover");
        second.connect();
        // then
        await().atMost(10, TimeUnit.SECONDS).until(() -> !causes.isEmpty());
        assertThat(causes.get(0)).isInstanceOf(Mqtt5DisconnectException.class);
        assertThat(((Mqtt5DisconnectException) causes.get(0)).getMqttMessage().getReasonCode())
                .isEqualTo(Mqtt5DisconnectReasonCode.SESSION_TAKEN_OVER);
        second.disconnect();
    }

    @Test
    void shouldForwardRemainingMessageExpiryWhenPahoPublishesWithOne() throws Exception {
        // given
        Mqtt5BlockingClient subscriber = mqtt5(broker.port(), "conf-expiry-sub");
        subscriber.connect();
        try (Mqtt5BlockingClient.Mqtt5Publishes publishes = subscriber.publishes(MqttGlobalPublishFilter.ALL);
                Paho5 paho = new Paho5(broker.port(), "conf-expiry-pub").connect()) {
            subscriber.subscribeWith().topicFilter("conf/expiry").send();
            MqttProperties props = new MqttProperties();
            props.setMessageExpiryInterval(600L);
            MqttMessage message = new MqttMessage(bytes("soon stale"));
            message.setQos(1);
            message.setProperties(props);
            // when
            paho.client.publish("conf/expiry", message).waitForCompletion(WAIT_MS);
            // then
            Mqtt5Publish received = publishes.receive(10, TimeUnit.SECONDS).orElseThrow();
            assertThat(received.getMessageExpiryInterval()).isPresent();
            assertThat(received.getMessageExpiryInterval().getAsLong()).isBetween(1L, 600L);
        }
        subscriber.disconnect();
    }

    /** A publish the broker refuses (a reserved '$' topic), for its PUBACK. */
    private static Mqtt5PubAck refusedPuback(Mqtt5BlockingClient client) {
        try {
            client.publishWith()
                    .topic("$SYS/conformance")
                    .payload(bytes("1"))
                    .qos(MqttQos.AT_LEAST_ONCE)
                    .send();
            throw new AssertionError("publish to $SYS/conformance was accepted");
        } catch (Mqtt5PubAckException e) {
            return e.getMqttMessage();
        }
    }
}
