package dev.mecgw.app.mqtt;

import static dev.mecgw.app.mqtt.RawMqttPackets.packet;
import static dev.mecgw.app.mqtt.RawMqttPackets.string;
import static dev.mecgw.app.mqtt.StandaloneBroker.givenABroker;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mecgw.app.registry.MemoryDeviceRegistry;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * MQTT 3.1.1 and 5 section 3.1.4: a client may send packets right after CONNECT without waiting for the CONNACK;
 * they are processed in order once the CONNECT is accepted, and dropped with the connection when it is refused.
 */
class PipelinedConnectTest {

    private static final String TOPIC = "site/pipelined";
    private static final String RIGHT = "right-password-1";

    private final MemoryDeviceRegistry devices = new MemoryDeviceRegistry(RIGHT);

    @ParameterizedTest
    @ValueSource(ints = {4, 5})
    void shouldAnswerInOrderAndRouteWhenPacketsFollowConnectInOneWrite(int version) throws Exception {
        // given a broker that checks passwords off the event loop, so that CONNECT is accepted asynchronously
        try (StandaloneBroker broker = givenABroker();
                Socket socket = new Socket("127.0.0.1", broker.port())) {
            DataInputStream in = givenAReader(socket);
            // when CONNECT, SUBSCRIBE and a QoS 1 PUBLISH to the subscribed topic go out in one write
            socket.getOutputStream().write(pipelined(version, devices.add("pipelined-" + version), RIGHT));
            // then CONNACK (accepted), SUBACK (QoS 1 granted), and the PUBACK and the routed message
            Packet connack = Packet.read(in);
            assertThat(connack.type()).isEqualTo(0x20);
            assertThat(connack.body()[1]).isZero();
            Packet suback = Packet.read(in);
            assertThat(suback.type()).isEqualTo(0x90);
            assertThat(suback.body()[suback.body().length - 1]).isEqualTo((byte) 1);
            List<Integer> rest = new ArrayList<>();
            String routed = null;
            for (int i = 0; i < 2; i++) {
                Packet p = Packet.read(in);
                rest.add(p.type() & 0xF0);
                if ((p.type() & 0xF0) == 0x30) {
                    routed = new String(p.body(), StandardCharsets.UTF_8);
                }
            }
            assertThat(rest).containsExactlyInAnyOrder(0x40, 0x30);
            assertThat(routed).contains(TOPIC).endsWith("hello");
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {4, 5})
    void shouldRefuseAndDropFollowingPacketsWhenAuthenticationFails(int version) throws Exception {
        // given a broker that checks passwords
        try (StandaloneBroker broker = givenABroker();
                Socket socket = new Socket("127.0.0.1", broker.port())) {
            DataInputStream in = givenAReader(socket);
            // when a CONNECT with a wrong password is followed by SUBSCRIBE and PUBLISH in the same write
            socket.getOutputStream().write(pipelined(version, devices.add("refused-" + version), "wrong-password-1"));
            // then a refusing CONNACK, then the connection ends with nothing else sent
            Packet connack = Packet.read(in);
            assertThat(connack.type()).isEqualTo(0x20);
            assertThat(connack.body()[1]).isNotZero();
            assertThat(in.read()).isEqualTo(-1);
        }
    }

    private StandaloneBroker givenABroker() throws Exception {
        return StandaloneBroker.givenABroker(
                Map.of("mecgw.mqtt.allow-anonymous", "false"), devices, devices.hasher, new TestClock());
    }

    private static DataInputStream givenAReader(Socket socket) throws IOException {
        socket.setSoTimeout((int) PahoClients.WAIT_MS);
        return new DataInputStream(socket.getInputStream());
    }

    /** CONNECT, SUBSCRIBE to {@link #TOPIC} at QoS 1, PUBLISH "hello" to it at QoS 1, back to back. */
    private static byte[] pipelined(int version, String device, String password) {
        boolean v5 = version == 5;
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        all.writeBytes(connect(version, device, password));
        ByteArrayOutputStream subscribe = new ByteArrayOutputStream();
        subscribe.write(0);
        subscribe.write(1); // packet id 1
        if (v5) {
            subscribe.write(0); // no properties
        }
        string(subscribe, TOPIC);
        subscribe.write(1); // QoS 1
        all.writeBytes(packet(0x82, subscribe.toByteArray()));
        ByteArrayOutputStream publish = new ByteArrayOutputStream();
        string(publish, TOPIC);
        publish.write(0);
        publish.write(2); // packet id 2
        if (v5) {
            publish.write(0); // no properties
        }
        publish.writeBytes("hello".getBytes(StandardCharsets.UTF_8));
        all.writeBytes(packet(0x32, publish.toByteArray()));
        return all.toByteArray();
    }

    /** A clean CONNECT with the device id as client id and user name. */
    private static byte[] connect(int version, String device, String password) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        string(body, "MQTT");
        body.write(version); // protocol level
        body.write(0xC2); // user name, password, clean session
        body.write(0);
        body.write(60); // keep-alive
        if (version == 5) {
            body.write(0); // no properties
        }
        string(body, device);
        string(body, device);
        string(body, password);
        return packet(0x10, body.toByteArray());
    }

    private record Packet(int type, byte[] body) {

        static Packet read(DataInputStream in) throws IOException {
            int type = in.readUnsignedByte();
            int length = 0;
            int multiplier = 1;
            int digit;
            do {
                digit = in.readUnsignedByte();
                length += (digit & 127) * multiplier;
                multiplier *= 128;
            } while ((digit & 128) != 0);
            byte[] body = new byte[length];
            in.readFully(body);
            return new Packet(type, body);
        }
    }
}
