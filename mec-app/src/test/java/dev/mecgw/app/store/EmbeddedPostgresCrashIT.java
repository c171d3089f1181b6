package dev.mecgw.app.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt3.Mqtt3AsyncClient;
import com.hivemq.client.mqtt.mqtt3.Mqtt3BlockingClient;
import dev.mecgw.app.gateway.GatewayProcess;
import dev.mecgw.testsupport.net.FreePorts;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Issue 14 item 1: every acknowledged reading, device registration and command survives {@code kill -9} of the
 * embedded PostgreSQL's postmaster (and of the gateway) right after the acknowledgements. Before the fix the
 * server ran with {@code synchronous_commit=off}, so the last commits acknowledged to devices were still in
 * the WAL buffers when the server died.
 */
class EmbeddedPostgresCrashIT {

    private static final String TOKEN = "crash-it-token";
    private static final int READINGS = 3_000;
    private static final int DEVICES = 30;
    private static final int COMMANDS = 30;

    @Test
    void shouldKeepEveryAcknowledgedItemWhenPostmasterIsKilled() throws Exception {
        Path dataDir =
                Path.of("target", "it-data", "pg-crash-" + UUID.randomUUID()).toAbsolutePath();
        int mqttPort = freePort();
        try (GatewayProcess gateway = new GatewayProcess(dataDir, GatewayProcess.mqttEnvironment(TOKEN, mqttPort))) {
            gateway.start(List.of());
            // given: a publishing device and a device with an offline persistent session for commands
            register(gateway, "crash-pub");
            register(gateway, "crash-cmd");
            Mqtt3BlockingClient commanded = client(mqttPort, "crash-cmd").toBlocking();
            connect(commanded.toAsync(), "crash-cmd", false);
            commanded
                    .subscribeWith()
                    .topicFilter("devices/crash-cmd/commands/#")
                    .qos(MqttQos.AT_LEAST_ONCE)
                    .send();
            commanded.disconnect();
            Mqtt3AsyncClient publisher = client(mqttPort, "crash-pub");
            connect(publisher, "crash-pub", true);

            // when: registrations, commands and QoS 1 readings are acknowledged, all at once
            List<CompletableFuture<?>> inFlight = new ArrayList<>();
            AtomicInteger ackedReadings = new AtomicInteger();
            long base = System.currentTimeMillis() - 3_600_000;
            for (int i = 0; i < READINGS; i++) {
                inFlight.add(publisher
                        .publishWith()
                        .topic("devices/crash-pub/telemetry")
                        .payload(("{\"seq\":" + i + ",\"ts\":" + (base + i) + "}").getBytes(StandardCharsets.UTF_8))
                        .qos(MqttQos.AT_LEAST_ONCE)
                        .send()
                        .thenRun(ackedReadings::incrementAndGet));
            }
            List<String> registered = new ArrayList<>();
            for (int i = 0; i < DEVICES; i++) {
                String id = "crash-dev-" + i;
                if (gateway.post("/api/v1/devices", TOKEN, "{\"id\":\"" + id + "\",\"type\":\"sensor\"}")
                                .statusCode()
                        == 201) {
                    registered.add(id);
                }
            }
            int commands = 0;
            for (int i = 0; i < COMMANDS; i++) {
                String body = "{\"name\":\"c" + i + "\",\"payload\":{\"n\":" + i + "}}";
                if (gateway.post("/api/v1/devices/crash-cmd/commands", TOKEN, body)
                                .statusCode()
                        == 202) {
                    commands++;
                }
            }
            CompletableFuture.allOf(inFlight.toArray(CompletableFuture[]::new)).get(120, TimeUnit.SECONDS);
            // and the postmaster dies at once, then the gateway: no checkpoint, no WAL flush by anyone
            killPostmaster(dataDir.resolve("postgres"));
            gateway.kill();

            // then: after a restart, every acknowledged item is there
            gateway.start(List.of());
            assertThat(count(dataDir, "SELECT count(*) FROM telemetry WHERE device_id = 'crash-pub'"))
                    .isEqualTo(ackedReadings.get())
                    .isEqualTo(READINGS);
            assertThat(count(dataDir, "SELECT count(*) FROM devices WHERE id LIKE 'crash-dev-%'"))
                    .isEqualTo(registered.size())
                    .isEqualTo(DEVICES);
            assertThat(count(dataDir, "SELECT count(*) FROM mqtt_session_messages WHERE client_id = 'crash-cmd'"))
                    .isEqualTo(commands)
                    .isEqualTo(COMMANDS);
        }
    }

    private static void register(GatewayProcess gateway, String id) throws Exception {
        String body = "{\"id\":\"" + id + "\",\"type\":\"sensor\",\"credentials\":{\"password\":\"crash-pass\"}}";
        assertThat(gateway.post("/api/v1/devices", TOKEN, body).statusCode()).isEqualTo(201);
    }

    private static Mqtt3AsyncClient client(int port, String id) {
        return MqttClient.builder()
                .useMqttVersion3()
                .identifier(id)
                .serverHost("127.0.0.1")
                .serverPort(port)
                .buildAsync();
    }

    private static void connect(Mqtt3AsyncClient client, String device, boolean clean) throws Exception {
        client.connectWith()
                .cleanSession(clean)
                .simpleAuth()
                .username(device)
                .password("crash-pass".getBytes(StandardCharsets.UTF_8))
                .applySimpleAuth()
                .send()
                .get(30, TimeUnit.SECONDS);
    }

    /** SIGKILL to the postmaster; its backends notice and exit; wait until none is left holding the data. */
    private static void killPostmaster(Path pgData) throws IOException {
        long pid = Long.parseLong(
                Files.readAllLines(pgData.resolve("postmaster.pid")).get(0).strip());
        ProcessHandle postmaster = ProcessHandle.of(pid).orElseThrow();
        List<ProcessHandle> backends = postmaster.descendants().toList();
        assertThat(postmaster.destroyForcibly()).isTrue();
        await().atMost(Duration.ofSeconds(30))
                .until(() -> !postmaster.isAlive() && backends.stream().noneMatch(ProcessHandle::isAlive));
    }

    private static int count(Path dataDir, String query) throws Exception {
        String password = Files.readString(dataDir.resolve(EmbeddedPostgresServer.PASSWORD_FILE))
                .strip();
        int port =
                Integer.parseInt(Files.readAllLines(dataDir.resolve("postgres").resolve("postmaster.pid"))
                        .get(3)
                        .strip());
        try (Connection c = DriverManager.getConnection(
                        "jdbc:postgresql://127.0.0.1:" + port + "/postgres", "postgres", password);
                Statement st = c.createStatement();
                ResultSet rs = st.executeQuery(query)) {
            rs.next();
            return rs.getInt(1);
        } catch (SQLException e) {
            throw new AssertionError("cannot read back from the gateway's database", e);
        }
    }

    /** A port for the gateway process to bind seconds from now: not from the ephemeral range ({@link FreePorts}). */
    private static int freePort() throws IOException {
        return FreePorts.tcp();
    }
}
