package dev.mecgw.devices.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import com.hivemq.client.mqtt.mqtt5.datatypes.Mqtt5UserProperties;
import dev.mecgw.inference.sensor.RobustZScoreFitter;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Issue 18 item 5, "Model rollout across 3 gateways": one packaged cloud (embedded Kafka and PostgreSQL) and three
 * packaged gateways, each a site with one MQTT sensor whose readings its sensor model scores. Models go through the
 * cloud's {@code POST /api/v1/model-rollouts}, travel chunked on each site's downlink, and each site's health gate
 * decides on what the model really outputs on that traffic.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ModelRolloutIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String CLOUD_TOKEN = "model-cloud-token";
    private static final String GATEWAY_TOKEN = "model-gateway-token";
    private static final List<String> SITES = List.of("site-a", "site-b", "site-c");
    private static final String MODEL = "sensor-anomaly";
    private static final int WINDOW = 4;
    private static final Duration START = Duration.ofMinutes(6);
    /** Health windows of 8 s, replication and the cloud's ticks on a loaded shared machine. */
    private static final Duration WAIT = Duration.ofMinutes(4);

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private final Map<String, AppProcess> gateways = new LinkedHashMap<>();
    private final List<SiteDevices> devices = new ArrayList<>();
    private final AtomicLong reading = new AtomicLong();
    private AppProcess cloud;
    private ScheduledExecutorService telemetry;

    @BeforeAll
    void startCloudAndThreeGateways() throws Exception {
        Path repo = Path.of(System.getProperty("mecgw.repo.root", ".."))
                .toAbsolutePath()
                .normalize();
        Path work = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "model-rollout");
        int kafkaPort = AppProcess.freeTcpPort();
        cloud = new AppProcess(
                repo,
                "cloud",
                work.resolve("cloud.log"),
                CLOUD_TOKEN,
                Map.of(
                        "MECGW_CLOUD_DATA_DIR",
                        work.resolve("cloud").toString(),
                        "MECGW_CLOUD_ADMIN_TOKEN",
                        CLOUD_TOKEN,
                        "MECGW_CLOUD_EMBEDDED_KAFKA_PORT",
                        Integer.toString(kafkaPort),
                        "MECGW_CLOUD_MODEL_ROLLOUTS_TICK_INTERVAL",
                        "1s",
                        // Small chunks, so that even this small model (under 1 kB) travels in several messages.
                        "MECGW_CLOUD_MODEL_ROLLOUTS_CHUNK_BYTES",
                        "256"));
        cloud.start();
        Map<String, SiteDevices> siteDevices = new HashMap<>();
        for (String site : SITES) {
            int mqttPort = AppProcess.freeTcpPort();
            int dtlsPort = AppProcess.freeUdpPort();
            Map<String, String> env = new HashMap<>();
            env.put("MECGW_DATA_DIR", work.resolve(site).toString());
            env.put("MECGW_SITE_ID", site);
            env.put("MECGW_ADMIN_TOKEN", GATEWAY_TOKEN);
            env.put("MECGW_MQTT_HOST", "127.0.0.1");
            env.put("MECGW_MQTT_PORT", Integer.toString(mqttPort));
            env.put("MECGW_COAP_HOST", "127.0.0.1");
            env.put("MECGW_COAP_PORT", "0");
            env.put("MECGW_COAP_DTLS_PORT", Integer.toString(dtlsPort));
            env.put("MECGW_SYNC_KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:" + kafkaPort);
            env.put("MECGW_SYNC_HEARTBEAT_INTERVAL", "2s");
            env.put("MECGW_INFERENCE_SENSOR_WINDOW", Integer.toString(WINDOW));
            env.put("MECGW_INFERENCE_SENSOR_STRIDE", "1");
            AppProcess gateway = new AppProcess(repo, "mec-app", work.resolve(site + ".log"), GATEWAY_TOKEN, env);
            gateways.put(site, gateway);
            siteDevices.put(site, new SiteDevices(mqttPort, dtlsPort));
            gateway.start();
        }
        cloud.awaitReady(START);
        for (AppProcess gateway : gateways.values()) {
            gateway.awaitReady(START);
        }
        // Each site: one sensor sending normal readings five times a second for the whole test.
        List<Mqtt5AsyncClient> sensors = new ArrayList<>();
        for (String site : SITES) {
            HttpResponse<String> created = gateways.get(site)
                    .send("POST", "/api/v1/devices", SiteDevices.registration(site + "-sensor", "sensor"));
            assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
            SiteDevices siteDevice = siteDevices.get(site);
            devices.add(siteDevice);
            sensors.add(siteDevice.mqtt(site + "-sensor", new CopyOnWriteArrayList<>()));
        }
        telemetry = Executors.newSingleThreadScheduledExecutor();
        telemetry.scheduleAtFixedRate(() -> publishReadings(sensors), 0, 200, TimeUnit.MILLISECONDS);
        // The cloud knows a site from its heartbeat; a rollout may only name known sites.
        await().atMost(WAIT).until(() -> {
            List<String> known = new ArrayList<>();
            cloudJson("/api/v1/sites").forEach(s -> known.add(s.path("siteId").asText()));
            return known.containsAll(SITES);
        });
    }

    private void publishReadings(List<Mqtt5AsyncClient> sensors) {
        long i = reading.incrementAndGet();
        for (int s = 0; s < sensors.size(); s++) {
            double value = 21 + Math.sin(i * 0.7 + s);
            sensors.get(s)
                    .publishWith()
                    .topic("devices/" + SITES.get(s) + "-sensor/telemetry")
                    .payload(("{\"temp\":" + value + "}").getBytes(StandardCharsets.UTF_8))
                    .userProperties(Mqtt5UserProperties.of())
                    .send();
        }
    }

    @AfterAll
    void stop() throws Exception {
        if (telemetry != null) {
            telemetry.shutdownNow();
        }
        for (SiteDevices d : devices) {
            d.close();
        }
        for (AppProcess gateway : gateways.values()) {
            gateway.close();
        }
        if (cloud != null) {
            cloud.close();
        }
    }

    @Test
    @Order(1)
    void shouldPutEveryGatewayOnTheNewVersionWhenTheModelIsGood() throws Exception {
        // given a model fitted on the sensors' normal behaviour, and sites with no model yet
        RobustZScoreFitter.Fitted good = fit("1", 21, 1.5);
        // when it rolls out canary first, then to the rest
        String id = rollout(good);
        // then every wave succeeds and every gateway serves version 1
        JsonNode done = awaitRollout(id, "succeeded");
        assertThat(done.path("chunks").asInt()).as("chunks on the downlink").isGreaterThan(1);
        assertThat(done.path("waves").get(0).path("sites").get(0).path("siteId").asText())
                .isEqualTo("site-a");
        for (String site : SITES) {
            assertThat(servingVersion(site)).isEqualTo("1");
        }
        assertThat(siteStates(done)).containsOnly("succeeded");
    }

    @Test
    @Order(2)
    void shouldRollTheCanaryBackAndAbortWhenTheNewModelsOutputsAreBroken() throws Exception {
        // given a model that flags every normal reading as an anomaly (fitted far from the real values)
        RobustZScoreFitter.Fitted broken = fit("2", 1000, 1.0);
        // when it rolls out with site-a as canary
        String id = rollout(broken);
        // then the canary's health gate sees the anomaly rate jump, site-a goes back to version 1, and the rollout
        // aborts with the reason; the other sites never received it
        JsonNode aborted = awaitRollout(id, "aborted");
        assertThat(aborted.path("reason").asText()).contains("site-a", "rolled-back", "detection rate");
        JsonNode canary = aborted.path("waves").get(0).path("sites").get(0);
        assertThat(canary.path("state").asText()).isEqualTo("rolled-back");
        assertThat(canary.path("reason").asText()).contains("health gate", "rolled back to 1");
        assertThat(canary.path("gate").path("candidate").path("detectionRate").asDouble())
                .isGreaterThan(0.5);
        for (JsonNode site : aborted.path("waves").get(1).path("sites")) {
            assertThat(site.path("state").asText()).isEqualTo("cancelled");
        }
        for (String site : SITES) {
            assertThat(servingVersion(site)).isEqualTo("1");
        }
        for (String site : List.of("site-b", "site-c")) {
            assertThat(gatewayJson(site, "/api/v1/models/" + MODEL + "/versions")
                            .toString())
                    .doesNotContain("\"2\"");
        }
    }

    @Test
    @Order(3)
    void shouldMoveEveryGatewayWhenTheNextGoodVersionPassesTheGateAgainstThePrevious() throws Exception {
        // given a second good model, different bytes
        RobustZScoreFitter.Fitted good = fit("3", 21, 2.0);
        // when it rolls out, then every site compares it with version 1 and keeps it
        JsonNode done = awaitRollout(rollout(good), "succeeded");
        assertThat(siteStates(done)).containsOnly("succeeded");
        for (String site : SITES) {
            assertThat(servingVersion(site)).isEqualTo("3");
        }
    }

    /** A robust z-score model for windows of {@link #WINDOW}, centred on {@code center}. */
    private static RobustZScoreFitter.Fitted fit(String version, double center, double margin) {
        double[] normal = new double[400];
        for (int i = 0; i < normal.length; i++) {
            normal[i] = center + Math.sin(i * 0.7);
        }
        return new RobustZScoreFitter().fit(MODEL, version, List.of(normal), WINDOW, margin);
    }

    /** Posts a rollout of site-a (canary), then the rest; returns its id. */
    private String rollout(RobustZScoreFitter.Fitted model) throws Exception {
        ObjectNode request = JSON.createObjectNode();
        request.set("metadata", JSON.valueToTree(model.metadata()));
        request.putObject("selector").put("all", true);
        var waves = request.putArray("waves");
        waves.addObject().put("name", "canary").putArray("sites").add("site-a");
        waves.addObject().put("name", "main").put("percent", 100);
        request.put("healthWindow", "PT8S");
        // Latency is not what this test checks (outputs are; ModelHealthGateTest checks the latency rule with set
        // figures). One starved run once made a good version's p99 53x the previous (soak run of 12-06 23:41); the gate
        // now compares medians below 100 runs, but on the loaded 2-core machine the two versions' windows see
        // different loads, so the ratio stays out of reach.
        request.putObject("gate").put("minRuns", 5).put("maxLatencyP99Ratio", 1_000_000.0);
        HttpResponse<String> response = postMultipart(JSON.writeValueAsString(request), model.onnx());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
        return JSON.readTree(response.body()).path("id").asText();
    }

    private JsonNode awaitRollout(String id, String state) {
        JsonNode[] last = new JsonNode[1];
        await().atMost(WAIT).alias("model rollout " + id + " becomes " + state).until(() -> {
            last[0] = cloudJson("/api/v1/model-rollouts/" + id);
            String now = last[0].path("state").asText();
            if (!now.equals(state) && (now.equals("aborted") || now.equals("succeeded"))) {
                throw new AssertionError("rollout ended " + now + ": " + last[0]);
            }
            return now.equals(state);
        });
        return last[0];
    }

    private static List<String> siteStates(JsonNode rollout) {
        List<String> states = new ArrayList<>();
        rollout.path("waves")
                .forEach(w ->
                        w.path("sites").forEach(s -> states.add(s.path("state").asText())));
        return states;
    }

    private String servingVersion(String site) throws Exception {
        return gatewayJson(site, "/api/v1/models/" + MODEL).path("version").asText();
    }

    private JsonNode gatewayJson(String site, String path) throws Exception {
        HttpResponse<String> response = gateways.get(site).get(path);
        assertThat(response.statusCode()).as(path + " " + response.body()).isEqualTo(200);
        return JSON.readTree(response.body());
    }

    private JsonNode cloudJson(String path) throws Exception {
        HttpResponse<String> response = cloud.get(path);
        if (response.statusCode() != 200) {
            throw new IllegalStateException(path + ": " + response.statusCode() + " " + response.body());
        }
        return JSON.readTree(response.body());
    }

    private HttpResponse<String> postMultipart(String rollout, byte[] model) throws Exception {
        String boundary = "mecgw-" + System.nanoTime();
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.write(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"rollout\"\r\n"
                        + "Content-Type: application/json\r\n\r\n" + rollout + "\r\n")
                .getBytes(StandardCharsets.UTF_8));
        body.write(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"model\"; filename=\"model.onnx\"\r\n"
                        + "Content-Type: application/octet-stream\r\n\r\n")
                .getBytes(StandardCharsets.UTF_8));
        body.write(model);
        body.write(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        HttpRequest request = HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + cloud.httpPort() + "/api/v1/model-rollouts"))
                .header("Authorization", "Bearer " + CLOUD_TOKEN)
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray()))
                .timeout(Duration.ofSeconds(60))
                .build();
        return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
    }
}
