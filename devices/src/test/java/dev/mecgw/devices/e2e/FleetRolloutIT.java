package dev.mecgw.devices.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mecgw.devices.app.SimulatorOptions;
import dev.mecgw.devices.app.SiteSimulator;
import dev.mecgw.devices.firmware.FirmwareAgent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Issue 18, short form of the fleet test: the packaged gateway and a simulated fleet of MQTT and CoAP sensors over
 * real sockets, each running the firmware object (HTTP Range for MQTT, Block2 for CoAP). The fleet size is
 * {@code -Dmecgw.fleet.devices} (default 10; the documented run uses 200). First a canary whose device reports
 * result 5 aborts the rollout, the canary stays on the old version and the main wave never starts; then a clean
 * rollout goes canary → main and every device ends on the new version.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FleetRolloutIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String TOKEN = "fleet-admin-token";
    private static final Duration WAIT = Duration.ofMinutes(2);

    private AppProcess gateway;
    private SiteSimulator fleet;
    private List<String> ids;
    private String artifact;

    @BeforeAll
    void startGatewayAndFleet() throws Exception {
        Path repo = Path.of(System.getProperty("mecgw.repo.root", ".."))
                .toAbsolutePath()
                .normalize();
        Path work = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "fleet-ota");
        int devices = Integer.getInteger("mecgw.fleet.devices", 10);
        int mqtt = devices - devices * 2 / 5;
        int mqttPort = AppProcess.freeTcpPort();
        int dtlsPort = AppProcess.freeUdpPort();
        Map<String, String> env = new HashMap<>();
        env.put("MECGW_DATA_DIR", work.resolve("gateway").toString());
        env.put("MECGW_ADMIN_TOKEN", TOKEN);
        env.put("MECGW_MQTT_HOST", "127.0.0.1");
        env.put("MECGW_MQTT_PORT", Integer.toString(mqttPort));
        env.put("MECGW_MQTT_TLS_PORT", "0");
        env.put("QUARKUS_HTTP_SSL_PORT", "0");
        env.put("MECGW_COAP_HOST", "127.0.0.1");
        env.put("MECGW_COAP_PORT", "0");
        env.put("MECGW_COAP_DTLS_PORT", Integer.toString(dtlsPort));
        // Ticks every second instead of every 5 s: the test waits on them.
        env.put("MECGW_OTA_TICK_INTERVAL", "1s");
        gateway = new AppProcess(repo, "mec-app", work.resolve("gateway.log"), TOKEN, env);
        gateway.start();
        gateway.awaitReady(Duration.ofMinutes(5));

        byte[] image = new byte[256 * 1024];
        new Random(18).nextBytes(image);
        artifact = "sensor-fw-2.0.bin";
        assertThat(gateway.put("/api/v1/artifacts/" + artifact, "application/octet-stream", image)
                        .statusCode())
                .isEqualTo(201);
        Path token = work.resolve("admin-token");
        Files.writeString(token, TOKEN);
        fleet = new SiteSimulator(
                SimulatorOptions.parse(
                        "--gateway", "127.0.0.1",
                        "--mqtt-port", Integer.toString(mqttPort),
                        "--coaps-port", Integer.toString(dtlsPort),
                        "--api", "http://127.0.0.1:" + gateway.httpPort(),
                        "--token-file", token.toString(),
                        "--mqtt", Integer.toString(mqtt),
                        "--coap", Integer.toString(devices - mqtt),
                        "--rate", "2",
                        "--prefix", "ota"),
                Clock.systemUTC());
        fleet.start();
        ids = SiteSimulator.sensorIds("ota", mqtt, devices - mqtt);
        assertThat(fleet.firmware(ids.get(0))).isPresent();
        // What the fleet runs, as the operator recorded it: a rollback puts this object back, and devices switch
        // back to 1.0 (without it, a rollback would only remove the desired firmware).
        for (String device : ids) {
            assertThat(gateway.send(
                                    "PUT",
                                    "/api/v1/devices/" + device + "/twin/desired",
                                    "{\"firmware\":{\"version\":\"1.0\"}}")
                            .statusCode())
                    .isEqualTo(200);
        }
        // A telemetry baseline before any update: the health gate compares against it.
        await().atMost(WAIT)
                .until(() -> fleet.devices().stream()
                        .allMatch(d -> d.counters().acknowledged.get() >= 6));
    }

    @AfterAll
    void stop() throws Exception {
        if (fleet != null) {
            fleet.close();
        }
        if (gateway != null) {
            gateway.close();
        }
    }

    @Test
    @Order(1)
    void shouldAbortAndKeepTheOldVersionWhenACanaryReportsAnIntegrityFailure() throws Exception {
        // Given a canary of one MQTT and one CoAP device, the MQTT one finding the image corrupt
        String mqttCanary = ids.get(0);
        String coapCanary = ids.get(ids.size() - 1);
        agent(mqttCanary).failureMode(FirmwareAgent.FailureMode.CORRUPT_IMAGE);

        // When the rollout starts
        String id = create(mqttCanary, coapCanary);

        // Then it aborts on the error threshold, the main wave never started, nobody runs 2.0
        JsonNode view = awaitState(id, "aborted");
        assertThat(view.path("reason").asText()).contains("error threshold");
        assertThat(view.path("waves").path(1).path("state").asText()).isEqualTo("cancelled");
        assertThat(view.path("waves").path(0).path("devices").findValuesAsText("error"))
                .anySatisfy(error -> assertThat(error).contains("hash or signature mismatch"));
        await().atMost(WAIT)
                .untilAsserted(() -> assertThat(ids)
                        .allSatisfy(
                                device -> assertThat(agent(device).version()).isEqualTo("1.0")));
        agent(mqttCanary).failureMode(FirmwareAgent.FailureMode.NONE);
    }

    @Test
    @Order(2)
    void shouldUpdateEveryDeviceWhenTheCanaryStaysHealthy() throws Exception {
        // Given a canary of one MQTT and one CoAP device
        String id = create(ids.get(1), ids.get(ids.size() - 2));

        // Then canary, then main: every device runs 2.0 and stayed healthy
        JsonNode view = awaitState(id, "succeeded");
        assertThat(view.path("waves").path(0).path("state").asText()).isEqualTo("succeeded");
        assertThat(view.path("waves").path(1).path("counts").path("healthy").asInt())
                .isEqualTo(ids.size() - 2);
        assertThat(ids).allSatisfy(device -> assertThat(agent(device).version()).isEqualTo("2.0"));
        // Resumable downloads by design: no device fetched much more than the image.
        assertThat(fleet.devices())
                .allSatisfy(d -> assertThat(d.counters().firmwareBytes.get()).isLessThanOrEqualTo(3L * 256 * 1024));
    }

    private String create(String... canary) throws Exception {
        String body = "{\"artifact\":\"" + artifact + "\",\"version\":\"2.0\","
                + "\"selector\":{\"type\":\"sensor\",\"labels\":{\"simulated\":\"true\"}},"
                + "\"waves\":[{\"name\":\"canary\",\"devices\":" + JSON.writeValueAsString(canary)
                + "},{\"name\":\"main\",\"percent\":100}],"
                + "\"successThreshold\":0.95,\"errorThreshold\":{\"percent\":5,\"minDevices\":1},"
                + "\"healthWindow\":\"PT3S\",\"deviceTimeout\":\"PT2M\",\"onWaveSuccess\":\"next\"}";
        var created = gateway.send("POST", "/api/v1/rollouts", body);
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        return JSON.readTree(created.body()).path("id").asText();
    }

    private JsonNode awaitState(String id, String state) {
        JsonNode[] last = new JsonNode[1];
        await().atMost(WAIT).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
            last[0] = JSON.readTree(gateway.get("/api/v1/rollouts/" + id).body());
            assertThat(last[0].path("state").asText()).as(last[0].toString()).isEqualTo(state);
        });
        return last[0];
    }

    private FirmwareAgent agent(String device) {
        return fleet.firmware(device).orElseThrow();
    }
}
