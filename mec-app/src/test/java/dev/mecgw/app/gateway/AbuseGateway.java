package dev.mecgw.app.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.mqtt3.Mqtt3BlockingClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import dev.mecgw.app.mqtt.MqttTlsProfile;
import dev.mecgw.testsupport.net.FreePorts;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * The packaged gateway that the issue-15 abuse suites ({@code *AbuseIT}) attack, started once for all of them
 * (a start costs ~10 s; the suites only add devices with fresh ids, and compare metrics before and after).
 * It runs the worst case every suite needs at once: unsecured CoAP telemetry allowed (so the plain port takes
 * Block1 transfers at all), a 1 MiB ingest share per device (so a flooder surely meets it), MQTT over TLS, the
 * 5G network simulator with one slice whose UE pool (10.45.0.0/16) leaves every loopback address off-pool, and
 * plain HTTP served to 127.0.0.1 only. Well-behaved devices and the test's HTTP calls come from 127.0.0.1;
 * attackers send from other loopback addresses so that per-address limits apply to them only.
 */
final class AbuseGateway implements AutoCloseable {

    /** 1 GiB, the bound for the default heap. */
    static final long RSS_BOUND_KIB = 1024 * 1024;

    static final String TOKEN = "abuse-it-token";
    static final String PASSWORD = "abuse-pass";

    private static final Pattern MQTT = Pattern.compile("MQTT +: port (\\d+), TLS port (\\d+)");
    private static final Pattern COAP = Pattern.compile("CoAP +: udp port (\\d+)");
    private static final Pattern DATABASE = Pattern.compile("embedded PostgreSQL (jdbc:postgresql://\\S+)");

    static {
        // The Californium clients of the suites read their defaults from these modules.
        org.eclipse.californium.core.config.CoapConfig.register();
        org.eclipse.californium.elements.config.UdpConfig.register();
    }

    private final GatewayProcess process;
    private final Path dataDir;
    private final Path tlsDir;
    private final int mqttPort;
    private final int mqttTlsPort;
    private final int coapPort;
    private final String jdbcUrl;

    private AbuseGateway(GatewayProcess process, Path dataDir, Path tlsDir) throws IOException {
        this.process = process;
        this.dataDir = dataDir;
        this.tlsDir = tlsDir;
        String log = process.logText();
        Matcher mqtt = MQTT.matcher(log);
        Matcher coap = COAP.matcher(log);
        Matcher database = DATABASE.matcher(log);
        assertThat(mqtt.find() && coap.find() && database.find())
                .as("MQTT, CoAP and database in the start-up report")
                .isTrue();
        this.mqttPort = Integer.parseInt(mqtt.group(1));
        this.mqttTlsPort = Integer.parseInt(mqtt.group(2));
        this.coapPort = Integer.parseInt(coap.group(1));
        this.jdbcUrl = database.group(1);
    }

    static AbuseGateway start() throws Exception {
        Path dir = Path.of("target", "it-data", "abuse-" + UUID.randomUUID()).toAbsolutePath();
        Path tlsDir = dir.resolveSibling(dir.getFileName() + "-tls");
        MqttTlsProfile.certificate(tlsDir, "server", "localhost");
        GatewayProcess process = new GatewayProcess(
                dir,
                Map.ofEntries(
                        Map.entry("MECGW_ADMIN_TOKEN", TOKEN),
                        Map.entry("MECGW_MQTT_PORT", Integer.toString(freePort())),
                        Map.entry("MECGW_MQTT_HOST", "127.0.0.1"),
                        Map.entry("MECGW_MQTT_TLS_PORT", "0"),
                        Map.entry(
                                "MECGW_MQTT_TLS_CERT",
                                tlsDir.resolve("server.crt").toString()),
                        Map.entry(
                                "MECGW_MQTT_TLS_KEY",
                                tlsDir.resolve("server.key").toString()),
                        Map.entry("MECGW_CREDENTIALS_PBKDF2_ITERATIONS", "10000"),
                        Map.entry("MECGW_COAP_ALLOW_UNSECURED", "true"),
                        // Small enough that one flooding device surely meets it on any machine.
                        Map.entry("MECGW_INGEST_DEVICE_MAX_BYTES", "1048576"),
                        Map.entry("MECGW_HTTP_PLAIN_SOURCES", "127.0.0.1/32"),
                        Map.entry("MECGW_RAN_ENABLED", "true"),
                        Map.entry("MECGW_RAN_SIMULATOR_ENABLED", "true"),
                        Map.entry("MECGW_RAN_SIMULATOR_PORT", Integer.toString(freePort())),
                        Map.entry("MECGW_RAN_NEF_EXTERNAL_GROUP_ID", "site@site.example")));
        // Map keys (the slice's name) do not survive the environment's upper case: system properties.
        process.start(List.of(
                "-Dmecgw.ran.slices.iot.snssai=1:000001",
                "-Dmecgw.ran.slices.iot.ue-subnets=10.45.0.0/16",
                "-Dmecgw.ran.slices.iot.allowed-types=sensor,camera"));
        return new AbuseGateway(process, dir, tlsDir);
    }

    int mqttPort() {
        return mqttPort;
    }

    int mqttTlsPort() {
        return mqttTlsPort;
    }

    int coapPort() {
        return coapPort;
    }

    Path tlsDir() {
        return tlsDir;
    }

    GatewayProcess process() {
        return process;
    }

    /** A fresh device id with {@code prefix}, registered with {@link #PASSWORD} and the given extra JSON members. */
    String givenDevice(String prefix, String type, String extraJson) throws Exception {
        String id = prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
        String body = "{\"id\":\"" + id + "\",\"type\":\"" + type + "\",\"credentials\":{\"password\":\"" + PASSWORD
                + "\"}" + extraJson + "}";
        assertThat(process.post("/api/v1/devices", TOKEN, body).statusCode())
                .as("registering %s", id)
                .isEqualTo(201);
        return id;
    }

    String givenDevice(String prefix, String type) throws Exception {
        return givenDevice(prefix, type, "");
    }

    /** A connected MQTT 3.1.1 client of device {@code id} (client id = device id), from 127.0.0.1. */
    Mqtt3BlockingClient mqtt3(String id) {
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

    /** An unconnected MQTT 5 client with {@code clientId}, sending from {@code from} (another "host"). */
    Mqtt5BlockingClient mqtt5From(String from, String clientId) {
        return MqttClient.builder()
                .useMqttVersion5()
                .identifier(clientId)
                .transportConfig()
                .serverHost("127.0.0.1")
                .serverPort(mqttPort)
                .localAddress(from)
                .applyTransportConfig()
                .buildBlocking();
    }

    /** An unconnected MQTT 3.1.1 client with {@code clientId}, sending from {@code from}. */
    Mqtt3BlockingClient mqtt3From(String from, String clientId) {
        return MqttClient.builder()
                .useMqttVersion3()
                .identifier(clientId)
                .transportConfig()
                .serverHost("127.0.0.1")
                .serverPort(mqttPort)
                .localAddress(from)
                .applyTransportConfig()
                .buildBlocking();
    }

    /** Number of readings of {@code metric} stored for {@code device}, read through the REST API. */
    int stored(String device, String metric) throws Exception {
        String body = process.get("/api/v1/devices/" + device + "/telemetry?metric=" + metric + "&limit=10000", TOKEN)
                .body();
        return body.split("\"value\"", -1).length - 1;
    }

    /**
     * The sum of a Prometheus series' samples; {@code prefix} is the name, optionally with the first label
     * ({@code name{reason="x"}}, closing brace left out); 0 when absent.
     */
    double metric(String prefix) throws Exception {
        double sum = 0;
        for (String line : process.get("/q/metrics", null).body().split("\n")) {
            if (line.startsWith(prefix + " ")
                    || line.startsWith(prefix + "{")
                    || line.startsWith(prefix + ",")
                    || line.startsWith(prefix + "}")) {
                sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return sum;
    }

    /** Payloads ({@code jsonb} as text) of the events of {@code kind} recorded for {@code device}. */
    List<String> events(String device, String kind) throws Exception {
        String password = Files.readString(dataDir.resolve("postgres-password")).trim();
        try (Connection c = DriverManager.getConnection(jdbcUrl, "postgres", password);
                PreparedStatement ps =
                        c.prepareStatement("SELECT payload::text FROM events WHERE device_id = ? AND kind = ?")) {
            ps.setString(1, device);
            ps.setString(2, kind);
            try (ResultSet rs = ps.executeQuery()) {
                List<String> payloads = new java.util.ArrayList<>();
                while (rs.next()) {
                    payloads.add(rs.getString(1));
                }
                return payloads;
            }
        }
    }

    long rssKib() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc", Long.toString(process.pid()), "status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        throw new IllegalStateException("no VmRSS for the gateway");
    }

    /** Prints the RSS before and after {@code attack} and checks it against {@link #RSS_BOUND_KIB}. */
    void report(String attack, long beforeKib) throws IOException {
        long after = rssKib();
        System.out.printf("Abuse suite, %s: RSS %d MiB before, %d MiB after%n", attack, beforeKib / 1024, after / 1024);
        assertThat(after).as("gateway RSS in KiB after %s", attack).isLessThanOrEqualTo(RSS_BOUND_KIB);
    }

    @Override
    public void close() throws Exception {
        process.close();
    }

    /** A port for the gateway process to bind seconds from now: not from the ephemeral range ({@link FreePorts}). */
    private static int freePort() throws IOException {
        return FreePorts.tcp();
    }

    /**
     * Hands the one {@link AbuseGateway} to a suite's {@code @BeforeAll} parameter; JUnit closes it when the
     * whole run ends (root store).
     */
    static final class Shared implements ParameterResolver {

        private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(Shared.class);

        @Override
        public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
            return parameter.getParameter().getType() == AbuseGateway.class;
        }

        @Override
        public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
            return context.getRoot()
                    .getStore(NAMESPACE)
                    .computeIfAbsent(
                            AbuseGateway.class,
                            key -> {
                                try {
                                    return AbuseGateway.start();
                                } catch (Exception e) {
                                    throw new IllegalStateException("The packaged gateway did not start", e);
                                }
                            },
                            AbuseGateway.class);
        }
    }
}
