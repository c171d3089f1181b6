package dev.mecgw.app.coap;

import static dev.mecgw.app.coap.CoapTestDevices.answered;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mecgw.app.coap.app.CoapLifecycle;
import dev.mecgw.app.registry.DeviceRegistry;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import javax.sql.DataSource;
import org.eclipse.californium.core.CoapResponse;
import org.eclipse.californium.core.coap.CoAP.ResponseCode;
import org.eclipse.californium.core.coap.MediaTypeRegistry;
import org.eclipse.californium.core.coap.Request;
import org.eclipse.californium.core.network.serialization.UdpDataSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Garbage, mutated and amplification-seeking datagrams against both ports, with real clients after. */
@QuarkusTest
class CoapProtectionTest {

    @Inject
    DeviceRegistry registry;

    @Inject
    CoapLifecycle coap;

    @Inject
    DataSource dataSource;

    private CoapTestDevices devices;

    @BeforeEach
    void setUp() {
        devices = new CoapTestDevices(registry, coap, dataSource);
    }

    @AfterEach
    void tearDown() {
        devices.close();
    }

    @Test
    void shouldKeepServingDevicesWhenFuzzedWithGarbageAndMutatedDatagrams() throws Exception {
        // given
        CoapTestDevices.Device device = devices.givenADevice();
        byte[] valid = rawRequest(coap.plainAddress(), "telemetry/" + device.id(), "{\"fuzz\":1}");
        Random random = new Random(4711);

        // when: 1500 datagrams to each port
        try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
            for (int i = 0; i < 1500; i++) {
                socket.send(new DatagramPacket(garbageOrMutation(valid, random, i), 0, 0, coap.plainAddress()));
                byte[] dtls = garbageOrMutation(dtlsLike(random), random, i);
                socket.send(new DatagramPacket(dtls, dtls.length, coap.dtlsAddress()));
            }
        }

        // then
        CoapResponse secure = answered(
                devices.dtls(device.id(), device.psk(), "/telemetry")
                        .post("{\"after\": 1}", MediaTypeRegistry.APPLICATION_JSON),
                "secure");
        CoapResponse plain = answered(
                devices.plain("/telemetry/" + device.id())
                        .post("{\"after_plain\": 1}", MediaTypeRegistry.APPLICATION_JSON),
                "plain");
        assertThat(secure.getCode()).isEqualTo(ResponseCode.CHANGED);
        assertThat(plain.getCode()).isEqualTo(ResponseCode.CHANGED);
        assertThat(devices.readings(device.id(), "after")).isEqualTo(1);
    }

    @Test
    void shouldNeverAnswerUnauthenticatedPeerWithMoreBytesThanItSent() throws Exception {
        // given requests an attacker would spoof: discovery, observe, firmware, and mutations of them
        List<byte[]> probes = new ArrayList<>();
        probes.add(rawRequest(coap.plainAddress(), ".well-known/core", null));
        probes.add(rawRequest(coap.plainAddress(), "commands", null));
        probes.add(rawRequest(coap.plainAddress(), "fw/anything", null));
        probes.add(rawRequest(coap.plainAddress(), "telemetry", "{\"a\":1}"));
        Random random = new Random(99);
        for (int i = 0; i < 200; i++) {
            byte[] mutated = probes.get(i % 4).clone();
            mutated[4 + random.nextInt(mutated.length - 4)] ^= (byte) (1 << random.nextInt(8));
            probes.add(mutated);
        }

        // when / then
        int answered = 0;
        try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
            // An answer that must come is awaited generously (a loaded machine is slow, not wrong) ...
            socket.setSoTimeout(10_000);
            for (byte[] probe : probes.subList(0, 4)) {
                socket.send(new DatagramPacket(probe, probe.length, coap.plainAddress()));
                DatagramPacket answer = new DatagramPacket(new byte[2048], 2048);
                socket.receive(answer);
                answered++;
                assertThat(answer.getLength()).isLessThanOrEqualTo(probe.length);
            }
            int smallest = probes.stream().mapToInt(p -> p.length).min().orElseThrow();
            for (byte[] probe : probes.subList(4, probes.size())) {
                socket.send(new DatagramPacket(probe, probe.length, coap.plainAddress()));
            }
            // ... while the answers to the mutations, if any, are read until the socket falls quiet: a late one
            // missed here only weakens the check, it cannot fail it.
            socket.setSoTimeout(300);
            try {
                while (true) {
                    DatagramPacket answer = new DatagramPacket(new byte[2048], 2048);
                    socket.receive(answer);
                    answered++;
                    assertThat(answer.getLength())
                            .as(java.util.HexFormat.of().formatHex(answer.getData(), 0, answer.getLength()))
                            .isLessThanOrEqualTo(smallest);
                }
            } catch (SocketTimeoutException drained) {
                // all answers read
            }
        }
        assertThat(answered).isGreaterThanOrEqualTo(4);
    }

    @Test
    void shouldAnswerEntityTooLargeWhenTelemetryBodyExceedsLimit() throws Exception {
        // given
        CoapTestDevices.Device device = devices.givenADevice();
        StringBuilder body = new StringBuilder("{");
        for (int i = 0; body.length() < TelemetryResource.MAX_PAYLOAD + 10; i++) {
            body.append("\"m").append(i).append("\":").append(i).append(',');
        }
        body.append("\"last\":0}");

        // when
        CoapResponse response = answered(
                devices.dtls(device.id(), device.psk(), "/telemetry")
                        .post(body.toString(), MediaTypeRegistry.APPLICATION_JSON),
                "response");

        // then
        assertThat(response.getCode()).isEqualTo(ResponseCode.REQUEST_ENTITY_TOO_LARGE);
        assertThat(devices.readings(device.id())).isZero();
    }

    private static byte[] rawRequest(InetSocketAddress server, String path, String payload) {
        Request request = payload == null ? Request.newGet() : Request.newPost();
        request.setURI("coap://127.0.0.1:" + server.getPort() + "/" + path);
        request.setMID(new Random().nextInt(65536));
        request.setToken(new byte[] {1, 2, 3, 4});
        if (payload != null) {
            request.setPayload(payload);
            request.getOptions().setContentFormat(MediaTypeRegistry.APPLICATION_JSON);
        }
        return new UdpDataSerializer().serializeRequest(request).getBytes();
    }

    /** A DTLS 1.2 handshake record header followed by random bytes, to get past the first checks. */
    private static byte[] dtlsLike(Random random) {
        byte[] record = new byte[13 + 20 + random.nextInt(200)];
        random.nextBytes(record);
        record[0] = 22;
        record[1] = (byte) 0xfe;
        record[2] = (byte) 0xfd;
        return record;
    }

    private static byte[] garbageOrMutation(byte[] valid, Random random, int i) {
        if (i % 3 == 0) {
            byte[] garbage = new byte[1 + random.nextInt(1400)];
            random.nextBytes(garbage);
            return garbage;
        }
        byte[] mutated = java.util.Arrays.copyOf(valid, i % 3 == 1 ? valid.length : 1 + random.nextInt(valid.length));
        for (int flips = 1 + random.nextInt(4); flips > 0; flips--) {
            mutated[random.nextInt(mutated.length)] ^= (byte) (1 << random.nextInt(8));
        }
        return mutated;
    }
}
