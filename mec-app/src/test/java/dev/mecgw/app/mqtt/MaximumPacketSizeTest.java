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

import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.message.connect.connack.Mqtt5ConnAck;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import dev.mecgw.app.mqtt.PahoClients.Paho5;
import dev.mecgw.app.mqtt.PahoClients.Received;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.net.Socket;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 20 gap: Maximum Packet Size both ways (MQTT 5 sections 3.1.2.11.4, 3.2.2.3.6). Both client libraries refuse
 * to send a packet over the server's advertised maximum, so the inbound case is a raw packet; the outbound case
 * (the broker drops what the client could not take) runs with HiveMQ and Paho.
 */
class MaximumPacketSizeTest {

    private static final int SERVER_MAX = 1024;
    private static final int CLIENT_MAX = 256;

    private StandaloneBroker broker;
    private Mqtt5BlockingClient publisher;

    @BeforeEach
    void setUp() throws Exception {
        broker = givenABroker(Map.of("mecgw.mqtt.max-packet-size", String.valueOf(SERVER_MAX)));
        publisher = mqtt5(broker.port(), "mps-publisher");
        publisher.connect();
    }

    @AfterEach
    void tearDown() throws Exception {
        publisher.disconnect();
        broker.close();
    }

    @Test
    void shouldDisconnectWithPacketTooLargeWhenPublishExceedsServerMaximum() throws Exception {
        try (Socket socket = new Socket("127.0.0.1", broker.port())) {
            DataInputStream in = connectedV5(socket, "mps-raw");
            // when: a QoS 0 PUBLISH of 2000 bytes
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            string(body, "mps/raw");
            body.write(0); // no properties
            body.writeBytes(new byte[2000]);
            socket.getOutputStream().write(packet(0x30, body.toByteArray()));
            // then: DISCONNECT 0x95 "packet too large"
            assertThat(disconnectReason(in)).isEqualTo(0x95);
            assertThat(broker.count("mecgw.mqtt.packets.refused", "reason", "too-large"))
                    .isEqualTo(1);
        }
    }

    @Test
    void shouldAdvertiseMaximumAndDropOversizedDeliveriesWhenHiveMqLimitsPacketSize() throws Exception {
        // given
        Mqtt5BlockingClient subscriber = mqtt5(broker.port(), "mps-hive");
        Mqtt5ConnAck connack = subscriber
                .connectWith()
                .restrictions()
                .maximumPacketSize(CLIENT_MAX)
                .applyRestrictions()
                .send();
        try (Mqtt5BlockingClient.Mqtt5Publishes publishes = subscriber.publishes(MqttGlobalPublishFilter.ALL)) {
            subscriber.subscribeWith().topicFilter("mps/hive").send();
            // when
            publishTooLargeThenSmall("mps/hive");
            // then
            assertThat(connack.getRestrictions().getMaximumPacketSize()).isEqualTo(SERVER_MAX);
            Mqtt5Publish received = publishes.receive(10, TimeUnit.SECONDS).orElseThrow();
            assertThat(received.getPayloadAsBytes()).isEqualTo(bytes("small"));
        }
        subscriber.disconnect();
    }

    @Test
    void shouldDropOversizedDeliveriesWhenPahoLimitsPacketSize() throws Exception {
        MqttConnectionOptions options = new MqttConnectionOptions();
        options.setCleanStart(true);
        options.setMaximumPacketSize((long) CLIENT_MAX);
        try (Paho5 paho = new Paho5(broker.port(), "mps-paho").connect(options)) {
            // given
            paho.client.subscribe("mps/paho", 0).waitForCompletion(WAIT_MS);
            // when
            publishTooLargeThenSmall("mps/paho");
            // then: the small one arrives first and the client is still connected
            Received received = paho.received.poll(WAIT_MS, TimeUnit.MILLISECONDS);
            assertThat(received.message().getPayload()).isEqualTo(bytes("small"));
            assertThat(paho.connackProperties().getMaximumPacketSize()).isEqualTo((long) SERVER_MAX);
            assertThat(paho.client.isConnected()).isTrue();
        }
    }

    /** Two messages too large for {@link #CLIENT_MAX} (by payload, by user properties), then a small one. */
    private void publishTooLargeThenSmall(String topic) {
        publisher.publishWith().topic(topic).payload(new byte[600]).send();
        publisher
                .publishWith()
                .topic(topic)
                .payload(bytes("tiny"))
                .userProperties()
                .add("padding", "x".repeat(300))
                .applyUserProperties()
                .send();
        publisher.publishWith().topic(topic).payload(bytes("small")).send();
    }
}
