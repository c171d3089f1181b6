package dev.mecgw.app.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt3.Mqtt3AsyncClient;
import com.hivemq.client.mqtt.mqtt3.Mqtt3BlockingClient;
import com.hivemq.client.mqtt.mqtt3.exceptions.Mqtt3ConnAckException;
import dev.mecgw.app.coap.RawCoapEndpoints;
import dev.mecgw.app.mqtt.ZeroPng;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.californium.core.CoapClient;
import org.eclipse.californium.core.CoapResponse;
import org.eclipse.californium.core.coap.BlockOption;
import org.eclipse.californium.core.coap.CoAP.ResponseCode;
import org.eclipse.californium.core.coap.MediaTypeRegistry;
import org.eclipse.californium.core.coap.Request;
import org.eclipse.californium.core.network.Endpoint;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Issue 15, resource exhaustion (items 1 to 7), against the packaged jar: each attack goes over the real socket while a
 * well-behaved device keeps publishing; every reading of the well-behaved device must be acknowledged and stored,
 * the gateway's resident memory must stay under {@link #RSS_BOUND_KIB}, and the attack must show in the metrics.
 * Attackers send from other loopback addresses (127.0.0.2, 127.0.0.3) so that per-address limits apply to them only.
 * The worst case is configured: unsecured CoAP telemetry allowed, so the plain port takes Block1 transfers at all.
 */
class ResourceAbuseIT {

    /** 1 GiB, the bound for the default heap. */
    private static final long RSS_BOUND_KIB = 1024 * 1024;

    private static final String TOKEN = "abuse-it-token";
    private static final String PASSWORD = "abuse-pass";
    private static final Pattern COAP = Pattern.compile("CoAP +: udp port (\\d+)");

    static {
        // The Californium clients below read their defaults from these modules.
        org.eclipse.californium.core.config.CoapConfig.register();
        org.eclipse.californium.elements.config.UdpConfig.register();
    }

    private static GatewayProcess gateway;
    private static int mqttPort;
    private static int coapPort;

    @BeforeAll
    static void startGateway() throws Exception {
        Path dataDir =
                Path.of("target", "it-data", "abuse-" + UUID.randomUUID()).toAbsolutePath();
        mqttPort = freePort();
        gateway = new GatewayProcess(
                dataDir,
                Map.of(
                        "MECGW_ADMIN_TOKEN", TOKEN,
                        "MECGW_MQTT_PORT", Integer.toString(mqttPort),
                        "MECGW_MQTT_HOST", "127.0.0.1",
                        "MECGW_CREDENTIALS_PBKDF2_ITERATIONS", "10000",
                        "MECGW_COAP_ALLOW_UNSECURED", "true",
                        // Small enough that one flooding device surely meets it on any machine.
                        "MECGW_INGEST_DEVICE_MAX_BYTES", "1048576"));
        gateway.start(List.of());
        Matcher coap = COAP.matcher(gateway.logText());
        assertThat(coap.find()).as("CoAP port in the start-up report").isTrue();
        coapPort = Integer.parseInt(coap.group(1));
        Map<String, String> devices = Map.of(
                "good-mqtt", "sensor",
                "good-coap", "sensor",
                "flooder", "sensor",
                "bad-clock", "sensor",
                "cam", "camera",
                "not-cam", "sensor",
                "hoarder", "hoarder",
                "victim", "sensor");
        for (Map.Entry<String, String> device : devices.entrySet()) {
            String body = "{\"id\":\"" + device.getKey() + "\",\"type\":\"" + device.getValue()
                    + "\",\"credentials\":{\"password\":\"" + PASSWORD + "\"}}";
            assertThat(gateway.post("/api/v1/devices", TOKEN, body).statusCode())
                    .isEqualTo(201);
        }
        String rule = "{\"deviceType\":\"hoarder\",\"action\":\"PUBLISH\",\"topicFilter\":\"hoard/#\"}";
        assertThat(gateway.post("/api/v1/acl", TOKEN, rule).statusCode()).isEqualTo(201);
    }

    @AfterAll
    static void stopGateway() throws Exception {
        if (gateway != null) {
            gateway.close();
        }
    }

    @Test
    void shouldBoundBlock1StateWhenOneHostStartsTenThousandTransfers() throws Exception {
        // given (item 1): a well-behaved MQTT device and a CoAP device keep publishing
        long before = rssKib();
        try (WellBehaved good = new WellBehaved("block1")) {
            // when 10,000 one-kilobyte first blocks to different URIs arrive from one host, never finished
            Endpoint attacker = RawCoapEndpoints.bound("127.0.0.2");
            try {
                for (int i = 0; i < 10_000; i++) {
                    Request block = Request.newPost();
                    block.setConfirmable(false);
                    block.setURI("coap://127.0.0.1:" + coapPort + "/telemetry/x-" + i);
                    block.getOptions().setBlock1(BlockOption.size2Szx(1024), true, 0);
                    block.setPayload(new byte[1024]);
                    block.send(attacker);
                }
                // then the refusals show, the reservation stays within the address's share (8 MiB)
                await().atMost(Duration.ofSeconds(30))
                        .until(() -> metric("mecgw_coap_block1_refused_total{reason=\"over-budget\"") > 0);
                assertThat(metric("mecgw_coap_block1_reserved_bytes")).isLessThanOrEqualTo(8 << 20);
            } finally {
                attacker.destroy();
            }
            good.finish();
        }
        report("block1 (10,000 transfers from one host)", before);
    }

    @Test
    void shouldThrottleTheFloodingDeviceAndKeepServingOthersWhenOneDeviceFloodsIngest() throws Exception {
        // given (item 4): a device flooding at QoS 0 with 3,000-reading messages
        long before = rssKib();
        StringBuilder big = new StringBuilder("{");
        for (int i = 0; i < 3000; i++) {
            big.append(i == 0 ? "" : ",").append("\"m").append(i).append("\":").append(i);
        }
        byte[] flood = big.append('}').toString().getBytes(StandardCharsets.UTF_8);
        Mqtt3AsyncClient flooder = mqtt("flooder").toAsync();
        try (WellBehaved good = new WellBehaved("flood")) {
            // when 1,000 such messages are sent as fast as the socket takes them
            CompletableFuture<?>[] sent = new CompletableFuture<?>[1000];
            for (int i = 0; i < sent.length; i++) {
                sent[i] = flooder.publishWith()
                        .topic("devices/flooder/telemetry")
                        .payload(flood)
                        .qos(MqttQos.AT_MOST_ONCE)
                        .send();
            }
            CompletableFuture.allOf(sent).join();
            // then the flooder is throttled
            await().atMost(Duration.ofSeconds(30)).until(() -> metric("mecgw_ingest_submissions_throttled_total") > 0);
            good.finish();
        } finally {
            flooder.disconnect();
        }
        report("ingest flood (1,000 x 3,000 readings at QoS 0)", before);
    }

    @Test
    void shouldRefuseOnlyTheBadReadingsWhenADeviceSendsTimesOutOfRange() throws Exception {
        // given (item 3): a device sending readings with a time PostgreSQL cannot hold
        long before = rssKib();
        Mqtt3AsyncClient bad = mqtt("bad-clock").toAsync();
        try (WellBehaved good = new WellBehaved("clock")) {
            // when it sends 200 of them at QoS 0
            for (int i = 0; i < 200; i++) {
                bad.publishWith()
                        .topic("devices/bad-clock/telemetry")
                        .payload("{\"ts\":9300000000000000,\"x\":1}".getBytes(StandardCharsets.UTF_8))
                        .qos(MqttQos.AT_MOST_ONCE)
                        .send()
                        .join();
            }
            // then the good device is unaffected and the refusals are counted
            await().atMost(Duration.ofSeconds(30)).until(() -> metric("mecgw_mqtt_payloads_rejected_total") > 0);
            good.finish();
        } finally {
            bad.disconnect();
        }
        report("out-of-range times (200 at QoS 0)", before);
    }

    @Test
    void shouldLimitPeersOfOneHostWhenItCyclesSourcePorts() throws Exception {
        // given (item 5): a host opening 1,000 source ports, one CoAP discovery request from each
        long before = rssKib();
        try (WellBehaved good = new WellBehaved("ports")) {
            InetSocketAddress target = new InetSocketAddress("127.0.0.1", coapPort);
            for (int i = 0; i < 1000; i++) {
                try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress("127.0.0.3", 0))) {
                    byte[] discovery = discovery(i);
                    socket.send(new DatagramPacket(discovery, discovery.length, target));
                }
            }
            // then past 64 ports the host is refused a place in the peer table
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> metric("mecgw_coap_peers_refused_total{reason=\"per-address-limit\"") > 0);
            assertThat(metric("mecgw_coap_peers")).isLessThanOrEqualTo(64 + 4);
            good.finish();
        }
        report("peer table (1,000 source ports of one host)", before);
    }

    @Test
    void shouldRefuseFrameBombsFromCamerasAndOtherDevicesWhileServingOthers() throws Exception {
        // given (item 2): a camera and a sensor, each sending six 9000x9000 PNGs (~243 MB each once decoded)
        long before = rssKib();
        byte[] bomb = ZeroPng.of(9000, 9000);
        Mqtt3BlockingClient camera = mqtt("cam");
        Mqtt3BlockingClient sensor = mqtt("not-cam");
        try (WellBehaved good = new WellBehaved("frames")) {
            // when they publish them at QoS 1 (MQTT 3.1.1: refused frames are acknowledged and dropped)
            for (int i = 0; i < 6; i++) {
                publish(camera, "devices/cam/frames", bomb, false);
                publish(sensor, "devices/not-cam/frames", bomb, false);
            }
            // then the camera's are refused by the pixel budget, the sensor's by its type
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> metric("mecgw_inference_frames_refused_total{reason=\"too-many-pixels\"") >= 6
                            && metric("mecgw_inference_frames_refused_total{reason=\"device-type\"") >= 6);
            good.finish();
        } finally {
            camera.disconnect();
            sensor.disconnect();
        }
        report("frame bombs (6 from a camera, 6 from a sensor, 9000x9000 PNG)", before);
    }

    @Test
    void shouldBoundRetainedMessagesWhenOneDeviceRetainsOnManyTopics() throws Exception {
        // given (item 7): a device allowed to publish on hoard/#
        long before = rssKib();
        Mqtt3BlockingClient hoarder = mqtt("hoarder");
        try (WellBehaved good = new WellBehaved("retained")) {
            // when it retains 8 KiB on each of 1,000 topics (8 MB)
            for (int i = 0; i < 1000; i++) {
                publish(hoarder, "hoard/" + i, new byte[8192], true);
            }
            // then only its share (100 messages) is retained; the rest is delivered but not retained, counted
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> metric("mecgw_mqtt_retained_refused_total{reason=\"per-device\"") >= 900);
            assertThat(metric("mecgw_mqtt_retained_messages")).isLessThanOrEqualTo(100);
            assertThat(metric("mecgw_mqtt_retained_bytes")).isLessThanOrEqualTo(1 << 20);
            good.finish();
        } finally {
            hoarder.disconnect();
        }
        report("retained flood (1,000 topics x 8 KiB from one device)", before);
    }

    @Test
    void shouldThrottleWrongPasswordsForAKnownDeviceWhileServingOthers() throws Exception {
        // given (item 6): a known device id
        long before = rssKib();
        try (WellBehaved good = new WellBehaved("passwords")) {
            // when 40 CONNECTs with a wrong password arrive for it
            for (int i = 0; i < 40; i++) {
                byte[] wrong = ("guess-" + i).getBytes(StandardCharsets.UTF_8);
                Mqtt3BlockingClient guess = MqttClient.builder()
                        .useMqttVersion3()
                        .identifier("victim")
                        .serverHost("127.0.0.1")
                        .serverPort(mqttPort)
                        .buildBlocking();
                assertThat(catchThrowable(() -> guess.connectWith()
                                .simpleAuth()
                                .username("victim")
                                .password(wrong)
                                .applySimpleAuth()
                                .send()))
                        .isInstanceOf(Mqtt3ConnAckException.class);
            }
            // then past the per-device limit (10 a minute) they are refused without hashing, and it shows
            assertThat(metric("mecgw_mqtt_connections_refused_total{reason=\"auth-throttled\""))
                    .isGreaterThanOrEqualTo(30);
            good.finish();
        }
        report("wrong passwords (40 for one device id)", before);
    }

    private static void publish(Mqtt3BlockingClient client, String topic, byte[] payload, boolean retain) {
        client.publishWith()
                .topic(topic)
                .payload(payload)
                .qos(MqttQos.AT_LEAST_ONCE)
                .retain(retain)
                .send();
    }

    /**
     * An MQTT device publishing acknowledged QoS 1 readings and a plain CoAP device posting confirmable readings,
     * both on a background thread, from 127.0.0.1.
     */
    private static final class WellBehaved implements AutoCloseable {
        private final String metric;
        private final Mqtt3BlockingClient mqtt = mqtt("good-mqtt");
        private final CoapClient coap = new CoapClient("coap://127.0.0.1:" + coapPort + "/telemetry/good-coap");
        private final AtomicBoolean running = new AtomicBoolean(true);
        private final AtomicInteger acked = new AtomicInteger();
        private final CompletableFuture<Void> loop;

        WellBehaved(String metric) {
            this.metric = metric;
            coap.setTimeout(10_000L);
            loop = CompletableFuture.runAsync(this::publish);
        }

        private void publish() {
            long base = System.currentTimeMillis() - 600_000;
            // At least 50 readings each, and on until the attack is over.
            for (int i = 0; running.get() || i < 50; i++) {
                String reading = "{\"" + metric + "\":" + i + ",\"ts\":" + (base + i) + "}";
                mqtt.publishWith()
                        .topic("devices/good-mqtt/telemetry")
                        .payload(reading.getBytes(StandardCharsets.UTF_8))
                        .qos(MqttQos.AT_LEAST_ONCE)
                        .send();
                CoapResponse response;
                try {
                    response = coap.post(reading, MediaTypeRegistry.APPLICATION_JSON);
                } catch (Exception e) {
                    throw new AssertionError("CoAP reading " + i + " not answered", e);
                }
                assertThat(response).as("CoAP reading %d answered", i).isNotNull();
                assertThat(response.getCode()).as("CoAP reading %d", i).isEqualTo(ResponseCode.CHANGED);
                acked.incrementAndGet();
            }
        }

        /** Stops publishing and checks that every acknowledged reading of both devices is stored. */
        void finish() throws Exception {
            running.set(false);
            loop.join();
            assertThat(stored("good-mqtt", metric)).isEqualTo(acked.get());
            assertThat(stored("good-coap", metric)).isEqualTo(acked.get());
        }

        @Override
        public void close() {
            running.set(false);
            mqtt.disconnect();
            coap.shutdown();
        }
    }

    private static Mqtt3BlockingClient mqtt(String id) {
        Mqtt3BlockingClient client = MqttClient.builder()
                .useMqttVersion3()
                .identifier(id)
                .serverHost("127.0.0.1")
                .serverPort(mqttPort)
                .buildBlocking();
        client.connectWith()
                .simpleAuth()
                .username(id)
                .password(PASSWORD.getBytes(StandardCharsets.UTF_8))
                .applySimpleAuth()
                .send();
        return client;
    }

    private static int stored(String device, String metric) throws Exception {
        String body = gateway.get("/api/v1/devices/" + device + "/telemetry?metric=" + metric + "&limit=10000", TOKEN)
                .body();
        return body.split("\"value\"", -1).length - 1;
    }

    /** NON GET /.well-known/core (RFC 7252 section 3), message id {@code mid}. */
    private static byte[] discovery(int mid) {
        byte[] path = ".well-known".getBytes(StandardCharsets.US_ASCII);
        byte[] core = "core".getBytes(StandardCharsets.US_ASCII);
        byte[] message = new byte[4 + 1 + path.length + 1 + core.length];
        message[0] = 0x50;
        message[1] = 0x01;
        message[2] = (byte) (mid >> 8);
        message[3] = (byte) mid;
        message[4] = (byte) 0xBB;
        System.arraycopy(path, 0, message, 5, path.length);
        message[5 + path.length] = 0x04;
        System.arraycopy(core, 0, message, 6 + path.length, core.length);
        return message;
    }

    /**
     * The sum of a Prometheus series' samples; {@code prefix} is the name, optionally with the first label
     * ({@code name{reason="x"}}, closing brace left out); 0 when absent.
     */
    private static double metric(String prefix) throws Exception {
        double sum = 0;
        for (String line : gateway.get("/q/metrics", null).body().split("\n")) {
            if (line.startsWith(prefix + " ")
                    || line.startsWith(prefix + "{")
                    || line.startsWith(prefix + ",")
                    || line.startsWith(prefix + "}")) {
                sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return sum;
    }

    private static long rssKib() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc", Long.toString(gateway.pid()), "status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        throw new IllegalStateException("no VmRSS for the gateway");
    }

    private static void report(String attack, long beforeKib) throws IOException {
        long after = rssKib();
        System.out.printf(
                "ResourceAbuseIT %s: RSS %d MiB before, %d MiB after%n", attack, beforeKib / 1024, after / 1024);
        assertThat(after).as("gateway RSS in KiB after %s", attack).isLessThanOrEqualTo(RSS_BOUND_KIB);
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
