package dev.mecgw.app.mqtt;

import static dev.mecgw.app.mqtt.MqttFixtures.ADMIN;
import static dev.mecgw.app.mqtt.MqttFixtures.PASSWORD;
import static dev.mecgw.app.mqtt.MqttFixtures.givenDevice;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Issue 14 item 6: a QoS 1 publish without {@code ts} that the client resends with DUP (its PUBACK was lost in a
 * dropped connection) is stored once, also across a reconnect of the persistent session. The HiveMQ and Paho
 * clients cannot be made to resend on demand, so the client here is raw MQTT 3.1.1 frames over a socket.
 */
@QuarkusTest
class MqttRedeliveryTest {

    private static final int PUBLISH_QOS1 = 0x32;
    private static final int DUP = 0x08;

    @Inject
    MqttBroker broker;

    @Test
    void shouldStoreOnceWhenUnacknowledgedPublishIsRedeliveredAfterReconnect() throws Exception {
        // given: a persistent session whose QoS 1 publish was stored, but whose PUBACK the client never saw
        String device = givenDevice("sensor");
        // issue 15.8: a device may only use client ids bound to it
        String clientId = device + "-redeliver-" + UUID.randomUUID().toString().substring(0, 8);
        byte[] reading = "{\"redelivered\":21.5}".getBytes(StandardCharsets.UTF_8);
        try (RawClient first = RawClient.connect(broker.port(), clientId, device)) {
            first.publish(PUBLISH_QOS1, 7, "devices/" + device + "/telemetry", reading);
        }
        // when: the client reconnects to its session and resends the packet with DUP
        try (RawClient second = RawClient.connect(broker.port(), clientId, device)) {
            second.publish(PUBLISH_QOS1 | DUP, 7, "devices/" + device + "/telemetry", reading);
            // then: one reading, not two with two server timestamps
            assertThat(readings(device)).hasSize(1);
            // and: a new publish that reuses the packet id after its PUBACK is a new reading
            second.publish(PUBLISH_QOS1, 7, "devices/" + device + "/telemetry", reading);
            assertThat(readings(device)).hasSize(2);
        }
    }

    @Test
    void shouldStoreRedeliveryWhenFirstAttemptWasNeverStored() throws Exception {
        // given: a clean start, no earlier publish with this packet id in the session
        String device = givenDevice("sensor");
        // issue 15.8: a device may only use client ids bound to it
        String clientId = device + "-redeliver-" + UUID.randomUUID().toString().substring(0, 8);
        // when: the first copy the gateway sees already carries DUP (the original was lost on the way in)
        try (RawClient client = RawClient.connect(broker.port(), clientId, device)) {
            client.publish(
                    PUBLISH_QOS1 | DUP,
                    9,
                    "devices/" + device + "/telemetry",
                    "{\"redelivered\":1}".getBytes(StandardCharsets.UTF_8));
        }
        // then
        assertThat(readings(device)).hasSize(1);
    }

    private static List<?> readings(String device) {
        return given().header("Authorization", ADMIN)
                .queryParam("metric", "redelivered")
                .get("/api/v1/devices/" + device + "/telemetry")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath()
                .getList("$");
    }

    /** MQTT 3.1.1 over a plain socket: CONNECT with clean session 0, PUBLISH, and the exact answers read back. */
    private static final class RawClient implements AutoCloseable {
        private final Socket socket;
        private final DataInputStream in;

        private RawClient(Socket socket) throws IOException {
            this.socket = socket;
            this.in = new DataInputStream(socket.getInputStream());
        }

        static RawClient connect(int port, String clientId, String user) throws IOException {
            Socket socket = new Socket();
            socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
            socket.setSoTimeout(20_000);
            RawClient client = new RawClient(socket);
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            string(body, "MQTT");
            body.write(4);
            body.write(0xC0); // user name and password, clean session 0: a persistent session
            body.write(0);
            body.write(60);
            string(body, clientId);
            string(body, user);
            string(body, PASSWORD);
            client.send(0x10, body.toByteArray());
            byte[] connack = client.read(4);
            assertThat(connack[0] & 0xff).isEqualTo(0x20);
            assertThat(connack[3]).as("CONNACK return code").isZero();
            return client;
        }

        /** Sends a QoS 1 PUBLISH and waits for its PUBACK. */
        void publish(int header, int packetId, String topic, byte[] payload) throws IOException {
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            string(body, topic);
            body.write(packetId >> 8);
            body.write(packetId & 0xff);
            body.writeBytes(payload);
            send(header, body.toByteArray());
            byte[] puback = read(4);
            assertThat(puback[0] & 0xff).as("PUBACK").isEqualTo(0x40);
            assertThat(((puback[2] & 0xff) << 8) | (puback[3] & 0xff)).isEqualTo(packetId);
        }

        private void send(int header, byte[] body) throws IOException {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            out.write(header);
            int length = body.length;
            do {
                int digit = length % 128;
                length /= 128;
                out.write(length > 0 ? digit | 0x80 : digit);
            } while (length > 0);
            out.writeBytes(body);
            socket.getOutputStream().write(out.toByteArray());
            socket.getOutputStream().flush();
        }

        private byte[] read(int n) throws IOException {
            byte[] bytes = new byte[n];
            in.readFully(bytes);
            return bytes;
        }

        private static void string(ByteArrayOutputStream out, String s) {
            byte[] b = s.getBytes(StandardCharsets.UTF_8);
            out.write(b.length >> 8);
            out.write(b.length & 0xff);
            out.writeBytes(b);
        }

        @Override
        public void close() throws IOException {
            // No DISCONNECT: the connection drops, as when a PUBACK is lost with it.
            socket.close();
        }
    }
}
