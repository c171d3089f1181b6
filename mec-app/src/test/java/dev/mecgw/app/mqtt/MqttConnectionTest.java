package dev.mecgw.app.mqtt;

import static dev.mecgw.app.mqtt.MqttFixtures.bytes;
import static dev.mecgw.app.mqtt.MqttFixtures.payloadOf;
import static dev.mecgw.app.mqtt.RawMqttPackets.packet;
import static dev.mecgw.app.mqtt.RawMqttPackets.string;
import static dev.mecgw.app.mqtt.StandaloneBroker.givenABroker;
import static org.assertj.core.api.Assertions.assertThat;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Inbound QoS 2 (MQTT 3.1.1 section 4.3.3) on the real broker without Quarkus. The publisher is a raw socket
 * client, because real client libraries never resend a PUBLISH on a live connection: only raw packets can
 * send the duplicate that the broker must not deliver twice.
 */
class MqttConnectionTest {

    private static final int PUBLISH = 0x30;
    private static final int PUBACK = 0x40;
    private static final int PUBREC = 0x50;
    private static final int PUBREL = 0x62;
    private static final int PUBCOMP = 0x70;
    private static final int DUP = 0x08;
    /** Longest wait for a delivery: returns as soon as it arrives. */
    private static final Duration RECEIVE_BOUND = Duration.ofSeconds(30);

    private static StandaloneBroker broker;

    @BeforeAll
    static void startBroker() throws Exception {
        broker = givenABroker(Map.of());
    }

    @AfterAll
    static void stopBroker() throws Exception {
        broker.close();
    }

    @Test
    void shouldDeliverOnceWhenQos2PublishIsResentWithSamePacketId() throws Exception {
        // given: a subscriber and a raw publisher
        String topic = "site/qos2/" + UUID.randomUUID();
        Mqtt5BlockingClient subscriber = givenAClient();
        try (Mqtt5BlockingClient.Mqtt5Publishes received = subscribed(subscriber, topic);
                RawClient publisher = RawClient.connect(broker.port())) {
            // when: PUBLISH, then the same packet id again with DUP before PUBREL
            publisher.send(publish(2, 7, topic, "once", false));
            assertThat(publisher.read()).isEqualTo(ack(PUBREC, 7));
            publisher.send(publish(2, 7, topic, "once", true));
            // then: the broker repeats PUBREC and completes the flow
            assertThat(publisher.read()).isEqualTo(ack(PUBREC, 7));
            publisher.send(ack(PUBREL, 7));
            assertThat(publisher.read()).isEqualTo(ack(PUBCOMP, 7));
            // and: a later marker on the same path arrives right after the one delivery
            publisher.send(publish(1, 8, topic, "marker", false));
            assertThat(publisher.read()).isEqualTo(ack(PUBACK, 8));
            assertThat(payloadOf(received.receive(RECEIVE_BOUND.toSeconds(), TimeUnit.SECONDS)))
                    .isEqualTo("once");
            assertThat(payloadOf(received.receive(RECEIVE_BOUND.toSeconds(), TimeUnit.SECONDS)))
                    .isEqualTo("marker");
        } finally {
            subscriber.disconnect();
        }
    }

    @Test
    void shouldDeliverAgainWhenPacketIdIsReusedAfterRelease() throws Exception {
        // given: a completed QoS 2 flow with packet id 3
        String topic = "site/qos2/" + UUID.randomUUID();
        Mqtt5BlockingClient subscriber = givenAClient();
        try (Mqtt5BlockingClient.Mqtt5Publishes received = subscribed(subscriber, topic);
                RawClient publisher = RawClient.connect(broker.port())) {
            exactlyOnce(publisher, 3, topic, "first");
            // when: the id is free again (section 2.3.1) and carries a new message
            exactlyOnce(publisher, 3, topic, "second");
            // then
            assertThat(payloadOf(received.receive(RECEIVE_BOUND.toSeconds(), TimeUnit.SECONDS)))
                    .isEqualTo("first");
            assertThat(payloadOf(received.receive(RECEIVE_BOUND.toSeconds(), TimeUnit.SECONDS)))
                    .isEqualTo("second");
        } finally {
            subscriber.disconnect();
        }
    }

    private static void exactlyOnce(RawClient publisher, int id, String topic, String payload) throws IOException {
        publisher.send(publish(2, id, topic, payload, false));
        assertThat(publisher.read()).isEqualTo(ack(PUBREC, id));
        publisher.send(ack(PUBREL, id));
        assertThat(publisher.read()).isEqualTo(ack(PUBCOMP, id));
    }

    private static Mqtt5BlockingClient givenAClient() {
        Mqtt5BlockingClient client = MqttClient.builder()
                .useMqttVersion5()
                .identifier("sub-" + UUID.randomUUID())
                .serverHost("127.0.0.1")
                .serverPort(broker.port())
                .buildBlocking();
        client.connect();
        return client;
    }

    /**
     * Subscribes {@code client} to {@code topic} with QoS 2, after opening the stream of what it receives: HiveMQ
     * registers the stream on the client's event loop later, and a message read before that would be dropped.
     */
    private static Mqtt5BlockingClient.Mqtt5Publishes subscribed(Mqtt5BlockingClient client, String topic) {
        Mqtt5BlockingClient.Mqtt5Publishes received = client.publishes(MqttGlobalPublishFilter.ALL);
        client.subscribeWith().topicFilter(topic).qos(MqttQos.EXACTLY_ONCE).send();
        return received;
    }

    /** PUBACK, PUBREC, PUBREL or PUBCOMP: a fixed header and the packet id. */
    private static byte[] ack(int type, int id) {
        return new byte[] {(byte) type, 2, (byte) (id >> 8), (byte) id};
    }

    private static byte[] publish(int qos, int id, String topic, String payload, boolean dup) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        string(body, topic);
        body.write(id >> 8);
        body.write(id);
        body.writeBytes(bytes(payload));
        return packet(PUBLISH | (dup ? DUP : 0) | qos << 1, body.toByteArray());
    }

    /** An MQTT 3.1.1 client speaking raw packets over a blocking socket. */
    private static final class RawClient implements AutoCloseable {
        private final Socket socket;
        private final DataInputStream in;

        private RawClient(Socket socket) throws IOException {
            this.socket = socket;
            this.in = new DataInputStream(socket.getInputStream());
        }

        static RawClient connect(int port) throws IOException {
            Socket socket = new Socket();
            socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
            // A read that never comes fails the test instead of hanging it.
            socket.setSoTimeout(10_000);
            RawClient client = new RawClient(socket);
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            string(body, "MQTT");
            body.write(4); // protocol level 3.1.1
            body.write(0x02); // clean session
            body.write(0);
            body.write(60); // keep-alive seconds
            string(body, "raw-" + UUID.randomUUID());
            client.send(packet(0x10, body.toByteArray()));
            assertThat(client.read()).isEqualTo(new byte[] {0x20, 2, 0, 0});
            return client;
        }

        void send(byte[] packet) throws IOException {
            socket.getOutputStream().write(packet);
            socket.getOutputStream().flush();
        }

        /** Reads one whole packet (fixed header included). */
        byte[] read() throws IOException {
            ByteArrayOutputStream packet = new ByteArrayOutputStream();
            packet.write(in.readUnsignedByte());
            int length = 0;
            int shift = 0;
            int digit;
            do {
                digit = in.readUnsignedByte();
                packet.write(digit);
                length |= (digit & 0x7f) << shift;
                shift += 7;
            } while ((digit & 0x80) != 0);
            byte[] body = new byte[length];
            in.readFully(body);
            packet.writeBytes(body);
            return packet.toByteArray();
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }
}
