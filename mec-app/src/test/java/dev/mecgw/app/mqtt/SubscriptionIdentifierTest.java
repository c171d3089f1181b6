package dev.mecgw.app.mqtt;

import static dev.mecgw.app.mqtt.MqttFixtures.bytes;
import static dev.mecgw.app.mqtt.MqttFixtures.mqtt5;
import static dev.mecgw.app.mqtt.PahoClients.WAIT_MS;
import static dev.mecgw.app.mqtt.RawMqttPackets.connectedV5;
import static dev.mecgw.app.mqtt.RawMqttPackets.disconnectReason;
import static dev.mecgw.app.mqtt.RawMqttPackets.packet;
import static dev.mecgw.app.mqtt.RawMqttPackets.string;
import static dev.mecgw.app.mqtt.StandaloneBroker.givenABroker;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.message.connect.connack.Mqtt5ConnAck;
import dev.mecgw.app.mqtt.PahoClients.Paho5;
import dev.mecgw.app.mqtt.PahoClients.Received;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.net.Socket;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.eclipse.paho.mqttv5.common.MqttSubscription;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Issue 20 item 2: Subscription Identifiers (MQTT 5 sections 3.8.2.1.2 and 3.3.2.3.8) over the socket. */
class SubscriptionIdentifierTest {

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
    void shouldCarryEveryMatchingSubscriptionIdWhenPahoClientSubscribedWithIds() throws Exception {
        // given
        Mqtt5BlockingClient publisher = mqtt5(broker.port(), "sid-publisher");
        publisher.connect();
        try (Paho5 paho = new Paho5(broker.port(), "sid-paho").connect()) {
            subscribe(paho, "sid/+/temp", 7);
            subscribe(paho, "sid/#", 9);
            subscribe(paho, "sid/plain", 0);
            // when
            publisher.publishWith().topic("sid/a/temp").payload(bytes("both")).send();
            publisher.publishWith().topic("sid/b/level").payload(bytes("one")).send();
            publisher.publishWith().topic("sid/plain").payload(bytes("plain")).send();
            // then: one PUBLISH per message, tagged with the ids of every subscription it matched
            assertThat(paho.connackProperties().isSubscriptionIdentifiersAvailable())
                    .isTrue();
            Received both = paho.received.poll(WAIT_MS, TimeUnit.MILLISECONDS);
            Received one = paho.received.poll(WAIT_MS, TimeUnit.MILLISECONDS);
            Received plain = paho.received.poll(WAIT_MS, TimeUnit.MILLISECONDS);
            assertThat(both.topic()).isEqualTo("sid/a/temp");
            assertThat(both.message().getProperties().getSubscriptionIdentifiers())
                    .containsExactlyInAnyOrder(7, 9);
            assertThat(one.topic()).isEqualTo("sid/b/level");
            assertThat(one.message().getProperties().getSubscriptionIdentifiers())
                    .containsExactly(9);
            assertThat(plain.message().getProperties().getSubscriptionIdentifiers())
                    .contains(9);
        }
        publisher.disconnect();
    }

    @Test
    void shouldTagRetainedMessageWithItsSubscriptionIdWhenPahoClientSubscribes() throws Exception {
        // given
        Mqtt5BlockingClient publisher = mqtt5(broker.port(), "sid-retainer");
        publisher.connect();
        publisher
                .publishWith()
                .topic("sid/retained")
                .payload(bytes("kept"))
                .qos(MqttQos.AT_LEAST_ONCE)
                .retain(true)
                .send();
        try (Paho5 paho = new Paho5(broker.port(), "sid-paho-retained").connect()) {
            // when
            subscribe(paho, "sid/retained", 42);
            // then
            Received retained = paho.received.poll(WAIT_MS, TimeUnit.MILLISECONDS);
            assertThat(retained.message().getProperties().getSubscriptionIdentifiers())
                    .containsExactly(42);
        }
        publisher.disconnect();
    }

    @Test
    void shouldAdvertiseIdsAndRouteToEachCallbackWhenHiveMqClientHasOverlappingSubscriptions() {
        // given
        Mqtt5BlockingClient publisher = mqtt5(broker.port(), "sid-hive-publisher");
        publisher.connect();
        Mqtt5AsyncClient subscriber = mqtt5(broker.port(), "sid-hive").toAsync();
        Mqtt5ConnAck connack = subscriber.connect().join();
        List<String> narrow = new CopyOnWriteArrayList<>();
        List<String> wide = new CopyOnWriteArrayList<>();
        subscriber
                .subscribeWith()
                .topicFilter("hsid/+/temp")
                .callback(p -> narrow.add(p.getTopic().toString()))
                .send()
                .join();
        subscriber
                .subscribeWith()
                .topicFilter("hsid/#")
                .callback(p -> wide.add(p.getTopic().toString()))
                .send()
                .join();
        // when
        publisher.publishWith().topic("hsid/a/temp").payload(bytes("x")).send();
        publisher.publishWith().topic("hsid/b").payload(bytes("y")).send();
        // then
        assertThat(connack.getRestrictions().areSubscriptionIdentifiersAvailable())
                .isTrue();
        await().atMost(10, TimeUnit.SECONDS).until(() -> wide.size() == 2);
        assertThat(narrow).containsExactly("hsid/a/temp");
        assertThat(wide).containsExactly("hsid/a/temp", "hsid/b");
        subscriber.disconnect().join();
        publisher.disconnect();
    }

    @Test
    void shouldDisconnectWithProtocolErrorWhenSubscribeCarriesIdZero() throws Exception {
        // given: HiveMQ assigns ids itself (no API sends 0), so besides Paho a raw SUBSCRIBE carries the 0
        try (Socket socket = new Socket("127.0.0.1", broker.port())) {
            DataInputStream in = connectedV5(socket, "sid-zero");
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            body.writeBytes(new byte[] {0, 1}); // packet id
            body.writeBytes(new byte[] {2, 0x0B, 0}); // properties: Subscription Identifier 0
            string(body, "sid/zero");
            body.write(1); // QoS 1
            // when
            socket.getOutputStream().write(packet(0x82, body.toByteArray()));
            // then: DISCONNECT 0x82 "protocol error", no SUBACK
            assertThat(disconnectReason(in)).isEqualTo(0x82);
        }
    }

    @Test
    void shouldDisconnectWithProtocolErrorWhenPahoSubscribesWithIdZero() throws Exception {
        try (Paho5 paho = new Paho5(broker.port(), "sid-paho-zero").connect()) {
            // given
            MqttProperties properties = new MqttProperties();
            properties.setSubscriptionIdentifier(0);
            // when
            catchThrowable(() -> paho.client
                    .subscribe(new MqttSubscription[] {new MqttSubscription("sid/pz", 1)}, null, null, properties)
                    .waitForCompletion(WAIT_MS));
            // then
            MqttDisconnectResponse disconnect = paho.disconnects.poll(WAIT_MS, TimeUnit.MILLISECONDS);
            assertThat(disconnect.getReturnCode()).isEqualTo(0x82);
            assertThat(paho.client.isConnected()).isFalse();
        }
    }

    private static void subscribe(Paho5 paho, String filter, int id) throws Exception {
        MqttProperties properties = new MqttProperties();
        if (id > 0) {
            properties.setSubscriptionIdentifier(id);
        }
        paho.client
                .subscribe(new MqttSubscription[] {new MqttSubscription(filter, 1)}, null, null, properties)
                .waitForCompletion(WAIT_MS);
    }
}
