package dev.mecgw.app.mqtt;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt3.Mqtt3BlockingClient;
import com.hivemq.client.mqtt.mqtt3.message.publish.Mqtt3Publish;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import com.hivemq.client.mqtt.mqtt5.lifecycle.Mqtt5ClientDisconnectedContext;
import com.hivemq.client.mqtt.mqtt5.message.connect.Mqtt5Connect;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5PublishResult;
import dev.mecgw.app.gateway.GatewayProcess;
import dev.mecgw.testsupport.net.FreePorts;
import io.restassured.http.ContentType;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Acked QoS 1 readings survive kill -9 of the packaged gateway (issue #3): the app runs as a child
 * process against a PostgreSQL owned by this test, is killed with SIGKILL right after the last PUBACK,
 * restarted, and every acknowledged reading is read back through the REST API.
 */
class MqttDurabilityIT {

    private static final String TOKEN = "it-admin-token";
    private static final Pattern HTTP = Pattern.compile("Listening on: http://[^:]+:(\\d+)");
    private static final Pattern MQTT = Pattern.compile("MQTT +: port (\\d+)");
    private static EmbeddedPostgres postgres;

    @BeforeAll
    static void startDatabase() throws IOException {
        Path dir = Path.of("target/it-postgres");
        postgres = EmbeddedPostgres.builder()
                .setDataDirectory(dir)
                .setCleanDataDirectory(true)
                .setServerConfig("listen_addresses", "127.0.0.1")
                .start();
    }

    @AfterAll
    static void stopDatabase() throws IOException {
        postgres.close();
    }

    @Test
    void shouldKeepEveryAckedReadingWhenGatewayIsKilledAndRestarted() throws Exception {
        // given: a running gateway and a registered device
        Gateway gateway = Gateway.start(postgres.getJdbcUrl("postgres", "postgres"));
        String device = "durable-1";
        register(gateway.httpPort, device);
        Mqtt3BlockingClient client = MqttClient.builder()
                .useMqttVersion3()
                .identifier(device)
                .serverHost("127.0.0.1")
                .serverPort(gateway.mqttPort)
                .buildBlocking();
        client.connectWith()
                .simpleAuth()
                .username(device)
                .password("durable-pass".getBytes(StandardCharsets.UTF_8))
                .applySimpleAuth()
                .send();
        // when: 300 readings acknowledged one by one, then SIGKILL without any shutdown
        int acked = 0;
        long base = System.currentTimeMillis() - 60_000;
        for (int i = 0; i < 300; i++) {
            client.publishWith()
                    .topic("devices/" + device + "/telemetry")
                    .payload(("{\"seq\":" + i + ",\"ts\":" + (base + i) + "}").getBytes(StandardCharsets.UTF_8))
                    .qos(MqttQos.AT_LEAST_ONCE)
                    .send();
            acked++;
        }
        gateway.kill();
        Gateway restarted = Gateway.start(postgres.getJdbcUrl("postgres", "postgres"));
        // then
        try {
            List<?> readings = given().port(restarted.httpPort)
                    .header("Authorization", "Bearer " + TOKEN)
                    .queryParam("metric", "seq")
                    .get("/api/v1/devices/" + device + "/telemetry")
                    .then()
                    .statusCode(200)
                    .extract()
                    .jsonPath()
                    .getList("$");
            assertThat(readings).hasSize(acked);
        } finally {
            restarted.kill();
        }
    }

    @Test
    void shouldDeliverQueuedCommandOnceWhenPersistentSessionReconnectsAfterKill() throws Exception {
        // given: a device with a persistent session subscribed to its commands, now offline
        Gateway gateway = Gateway.start(postgres.getJdbcUrl("postgres", "postgres"));
        String device = "durable-cmd";
        register(gateway.httpPort, device);
        Mqtt3BlockingClient first = persistentClient(gateway.mqttPort, device);
        first.subscribeWith()
                .topicFilter("devices/" + device + "/commands/#")
                .qos(MqttQos.AT_LEAST_ONCE)
                .send();
        // and a retained event it published, acknowledged
        first.publishWith()
                .topic("devices/" + device + "/events")
                .payload("{\"door\":\"open\"}".getBytes(StandardCharsets.UTF_8))
                .qos(MqttQos.AT_LEAST_ONCE)
                .retain(true)
                .send();
        first.disconnect();
        // when: a command is queued for it, a desired twin set, and the gateway is killed right after the answers
        postCommand(gateway.httpPort, device, "reboot");
        given().port(gateway.httpPort)
                .header("Authorization", "Bearer " + TOKEN)
                .contentType(ContentType.JSON)
                .body(Map.of("fps", 15))
                .put("/api/v1/devices/" + device + "/twin/desired")
                .then()
                .statusCode(200);
        gateway.kill();
        // then: the 202, the 200 and the PUBACK meant stored (issue #3), before any restart
        assertThat(storedMessages(device)).isEqualTo(1);
        assertThat(count("SELECT count(*) FROM mqtt_retained WHERE topic LIKE 'devices/" + device + "/%'"))
                .isEqualTo(2);
        Gateway restarted = Gateway.start(postgres.getJdbcUrl("postgres", "postgres"));
        try {
            Mqtt3BlockingClient device2 = MqttClient.builder()
                    .useMqttVersion3()
                    .identifier(device)
                    .serverHost("127.0.0.1")
                    .serverPort(restarted.mqttPort)
                    .buildBlocking();
            try (Mqtt3BlockingClient.Mqtt3Publishes received = device2.publishes(MqttGlobalPublishFilter.ALL)) {
                device2.connectWith()
                        .cleanSession(false)
                        .simpleAuth()
                        .username(device)
                        .password("durable-pass".getBytes(StandardCharsets.UTF_8))
                        .applySimpleAuth()
                        .send();
                // and: the queued command arrives after the restart, then (without resubscribing) a new one, nothing in
                // between
                Optional<Mqtt3Publish> queued = received.receive(20, TimeUnit.SECONDS);
                assertThat(queued).map(p -> p.getTopic().toString()).contains("devices/" + device + "/commands/reboot");
                postCommand(restarted.httpPort, device, "ping");
                Optional<Mqtt3Publish> next = received.receive(20, TimeUnit.SECONDS);
                assertThat(next).map(p -> p.getTopic().toString()).contains("devices/" + device + "/commands/ping");
                // and the desired twin is still retained for a new subscription
                device2.subscribeWith()
                        .topicFilter("devices/" + device + "/twin/desired")
                        .qos(MqttQos.AT_LEAST_ONCE)
                        .send();
                assertThat(received.receive(20, TimeUnit.SECONDS))
                        .hasValueSatisfying(p -> assertThat(p.isRetain()).isTrue());
                await().atMost(Duration.ofSeconds(10)).until(() -> storedMessages(device) == 0);
                device2.disconnect();
            }
        } finally {
            restarted.kill();
        }
    }

    /**
     * Issue 18 (kill -9 fleet test): QoS 1 publishes still unacknowledged when the gateway dies are resent (DUP) by
     * the client on its restored persistent session; the restarted gateway must acknowledge every one (an
     * unacknowledged id would keep a slot of the client's window, Receive Maximum, for good) and store each reading
     * once. The client reconnects by itself to the same port, as a device does.
     */
    @Test
    void shouldAcknowledgeAndStoreOnceEveryPublishInFlightWhenTheGatewayIsKilled() throws Exception {
        // given: a device on a persistent MQTT 5 session to a gateway on a fixed port
        int mqttPort = freePort();
        Gateway gateway = Gateway.start(postgres.getJdbcUrl("postgres", "postgres"), mqttPort);
        String device = "durable-inflight";
        register(gateway.httpPort, device);
        Mqtt5Connect connect = Mqtt5Connect.builder()
                .cleanStart(false)
                .sessionExpiryInterval(3600)
                .simpleAuth()
                .username(device)
                .password("durable-pass".getBytes(StandardCharsets.UTF_8))
                .applySimpleAuth()
                // At most 50 publishes unanswered at once (the gateway would take 1,000): with the kill on the 20th
                // answer below, most of the 500 are certainly unanswered at the kill, however fast the gateway
                // (the native build answered all 500 between an awaited 20th answer and the kill).
                .restrictions()
                .sendMaximum(50)
                .applyRestrictions()
                .build();
        Mqtt5AsyncClient client = MqttClient.builder()
                .useMqttVersion5()
                .identifier(device)
                .serverHost("127.0.0.1")
                .serverPort(mqttPort)
                .automaticReconnect()
                .initialDelay(200, TimeUnit.MILLISECONDS)
                .maxDelay(2, TimeUnit.SECONDS)
                .applyAutomaticReconnect()
                // The automatic reconnect does not repeat the credentials of connect() by itself.
                .addDisconnectedListener(context -> ((Mqtt5ClientDisconnectedContext) context)
                        .getReconnector()
                        .connect(connect))
                .buildAsync();
        client.connect(connect).get(20, TimeUnit.SECONDS);
        // when: readings go out without waiting for their PUBACKs, and the gateway is killed while most are unanswered
        int total = 500;
        long base = System.currentTimeMillis() - 60_000;
        List<CompletableFuture<Mqtt5PublishResult>> results = new ArrayList<>();
        for (int i = 0; i < total; i++) {
            results.add(client.publishWith()
                    .topic("devices/" + device + "/telemetry")
                    .payload(("{\"inflight\":" + i + ",\"ts\":" + (base + i) + "}").getBytes(StandardCharsets.UTF_8))
                    .qos(MqttQos.AT_LEAST_ONCE)
                    .send());
        }
        // The kill is sent from the 20th answer's completion, not after polling for it.
        results.get(19).thenRun(gateway::sendKill).get(60, TimeUnit.SECONDS);
        gateway.kill();
        assertThat(done(results)).as("publishes answered before the kill").isLessThan(total);
        Gateway restarted = Gateway.start(postgres.getJdbcUrl("postgres", "postgres"), mqttPort);
        try {
            // then: every publish is acknowledged, by the first gateway or the restarted one, none refused
            await().atMost(Duration.ofSeconds(90)).until(() -> done(results) == total);
            assertThat(results).allSatisfy(r -> {
                Mqtt5PublishResult result = r.join();
                assertThat(result.getError()).isEmpty();
                assertThat(((Mqtt5PublishResult.Mqtt5Qos1Result) result)
                                .getPubAck()
                                .getReasonCode()
                                .isError())
                        .isFalse();
            });
            // and: each reading is stored exactly once
            List<Integer> stored = given()
                    .port(restarted.httpPort)
                    .header("Authorization", "Bearer " + TOKEN)
                    .queryParam("metric", "inflight")
                    .queryParam("limit", total * 2)
                    .get("/api/v1/devices/" + device + "/telemetry")
                    .then()
                    .statusCode(200)
                    .extract()
                    .jsonPath()
                    .getList("value", Double.class)
                    .stream()
                    .map(Double::intValue)
                    .toList();
            assertThat(stored).hasSize(total).doesNotHaveDuplicates();
            client.disconnect().get(10, TimeUnit.SECONDS);
        } finally {
            restarted.kill();
        }
    }

    private static long done(List<CompletableFuture<Mqtt5PublishResult>> results) {
        return results.stream().filter(CompletableFuture::isDone).count();
    }

    /** A port for the gateway process to bind seconds from now: not from the ephemeral range ({@link FreePorts}). */
    private static int freePort() throws IOException {
        return FreePorts.tcp();
    }

    private static void register(int httpPort, String device) {
        given().port(httpPort)
                .header("Authorization", "Bearer " + TOKEN)
                .contentType(ContentType.JSON)
                .body(Map.of("id", device, "type", "sensor", "credentials", Map.of("password", "durable-pass")))
                .post("/api/v1/devices")
                .then()
                .statusCode(201);
    }

    private static Mqtt3BlockingClient persistentClient(int port, String device) {
        Mqtt3BlockingClient client = MqttClient.builder()
                .useMqttVersion3()
                .identifier(device)
                .serverHost("127.0.0.1")
                .serverPort(port)
                .buildBlocking();
        client.connectWith()
                .cleanSession(false)
                .simpleAuth()
                .username(device)
                .password("durable-pass".getBytes(StandardCharsets.UTF_8))
                .applySimpleAuth()
                .send();
        return client;
    }

    private static void postCommand(int httpPort, String device, String name) {
        given().port(httpPort)
                .header("Authorization", "Bearer " + TOKEN)
                .contentType(ContentType.JSON)
                .body(Map.of("name", name, "payload", Map.of("at", name)))
                .post("/api/v1/devices/" + device + "/commands")
                .then()
                .statusCode(202);
    }

    private static int storedMessages(String clientId) throws SQLException {
        return count("SELECT count(*) FROM mqtt_session_messages WHERE client_id = '" + clientId + "'");
    }

    private static int count(String query) throws SQLException {
        try (Connection c = postgres.getPostgresDatabase().getConnection();
                Statement st = c.createStatement();
                ResultSet rs = st.executeQuery(query)) {
            rs.next();
            return rs.getInt(1);
        }
    }

    /** The packaged app as a child process. */
    private static final class Gateway {
        final Process process;
        final int httpPort;
        final int mqttPort;

        private Gateway(Process process, int httpPort, int mqttPort) {
            this.process = process;
            this.httpPort = httpPort;
            this.mqttPort = mqttPort;
        }

        static Gateway start(String jdbcUrl) throws IOException {
            return start(jdbcUrl, 0);
        }

        /** @param mqttPort the MQTT port, 0 for a free one */
        static Gateway start(String jdbcUrl, int mqttPort) throws IOException {
            Path dataDir = Files.createDirectories(Path.of("target/it-data"));
            // The jar, or the native executable named by -Dmecgw.it.native (issue 22).
            List<String> cmd = GatewayProcess.command(List.of(
                    "-Dquarkus.datasource.jdbc.url=" + jdbcUrl,
                    "-Dquarkus.datasource.username=postgres",
                    "-Dquarkus.datasource.password=postgres",
                    "-Dquarkus.http.port=0",
                    "-Dquarkus.http.host=127.0.0.1",
                    "-Dmecgw.mqtt.port=" + mqttPort,
                    "-Dmecgw.mqtt.host=127.0.0.1",
                    // Never the default CoAP ports: other gateways may run on the same machine.
                    "-Dmecgw.coap.port=0",
                    "-Dmecgw.coap.dtls-port=0",
                    "-Dmecgw.coap.host=127.0.0.1",
                    "-Dmecgw.admin.token=" + TOKEN,
                    "-Dmecgw.credentials.pbkdf2-iterations=10000",
                    "-Dmecgw.data-dir=" + dataDir.toAbsolutePath()));
            Process process = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            BufferedReader out =
                    new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
            int http = -1;
            int mqtt = -1;
            List<String> seen = new ArrayList<>();
            String line;
            while ((http < 0 || mqtt < 0) && (line = out.readLine()) != null) {
                seen.add(line);
                Matcher h = HTTP.matcher(line);
                Matcher m = MQTT.matcher(line);
                if (h.find()) {
                    http = Integer.parseInt(h.group(1));
                }
                if (m.find()) {
                    mqtt = Integer.parseInt(m.group(1));
                }
            }
            if (http < 0 || mqtt < 0) {
                process.destroyForcibly();
                throw new AssertionError("gateway did not start:\n" + String.join("\n", seen));
            }
            // Keep draining the child's output so that it never blocks on a full pipe.
            Thread drain = new Thread(() -> out.lines().forEach(l -> {}), "gateway-output");
            drain.setDaemon(true);
            drain.start();
            return new Gateway(process, http, mqtt);
        }

        /** SIGKILL without waiting for the exit; safe on a client callback thread. */
        void sendKill() {
            process.destroyForcibly();
        }

        void kill() throws InterruptedException {
            // Process.destroyForcibly sends SIGKILL on Linux: no shutdown hook, no drain.
            process.destroyForcibly();
            assertThat(process.waitFor(20, TimeUnit.SECONDS)).isTrue();
        }
    }
}
