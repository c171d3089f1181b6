package dev.mecgw.devices.e2e;

import static dev.mecgw.devices.e2e.FleetFixture.COAP_BLOCK;
import static dev.mecgw.devices.e2e.FleetFixture.HTTP_CHUNK;
import static dev.mecgw.devices.e2e.FleetFixture.IMAGE_BYTES;
import static dev.mecgw.devices.e2e.FleetFixture.WAIT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mecgw.devices.firmware.FirmwareAgent;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Issue 18, the fleet tests: the packaged gateway and a simulated MQTT + CoAP fleet ({@link FleetFixture}), one
 * rollout per case, each to a new version: a canary reporting result 5 aborts the rollout; a canary that installs
 * but goes silent fails the health gate and is rolled back; the links of a fifth of the fleet are cut mid-download
 * and the downloads resume, re-sending at most one chunk or block per device; the gateway is killed with SIGKILL in
 * the middle of the main wave, the restarted one reads the rollout back from PostgreSQL where it was and, its devices
 * back, finishes it.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FleetRolloutIT {

    private static final String DOWNLOAD_BYTES = "mecgw_ota_download_bytes_total";
    private static final List<String> PROGRESS =
            List.of("pending", "notified", "downloading", "downloaded", "updating", "installed", "healthy");

    private FleetFixture fleet;
    private List<String> mqtt;
    private List<String> coap;

    @BeforeAll
    void startGatewayAndFleet() throws Exception {
        fleet = FleetFixture.start();
        // Canaries come from the devices on direct links.
        mqtt = fleet.ids.stream()
                .filter(d -> !fleet.cutIds.contains(d) && !FleetFixture.isCoap(d))
                .toList();
        coap = fleet.ids.stream()
                .filter(d -> !fleet.cutIds.contains(d) && FleetFixture.isCoap(d))
                .toList();
    }

    @AfterAll
    void stop() throws Exception {
        if (fleet != null) {
            fleet.close();
        }
    }

    @Test
    @Order(1)
    void shouldAbortAndKeepTheOldVersionWhenACanaryReportsAnIntegrityFailure() throws Exception {
        // Given a canary of one MQTT and one CoAP device, the MQTT one finding the image corrupt
        String mqttCanary = mqtt.get(0);
        fleet.agent(mqttCanary).failureMode(FirmwareAgent.FailureMode.CORRUPT_IMAGE);

        // When the rollout starts
        String id = fleet.create(fleet.upload("2.0"), "2.0", "PT3S", mqttCanary, coap.get(0));

        // Then it aborts on the error threshold, the main wave never started, nobody runs 2.0
        JsonNode view = fleet.awaitState(id, "aborted");
        assertThat(view.path("reason").asText()).contains("error threshold");
        assertThat(view.path("waves").path(1).path("state").asText()).isEqualTo("cancelled");
        assertThat(view.path("waves").path(0).path("devices").findValuesAsText("error"))
                .anySatisfy(error -> assertThat(error).contains("hash or signature mismatch"));
        awaitEveryDeviceOn("1.0");
        fleet.agent(mqttCanary).failureMode(FirmwareAgent.FailureMode.NONE);
    }

    @Test
    @Order(2)
    void shouldRollTheCanaryBackWhenItInstallsButStopsSendingTelemetry() throws Exception {
        // Given a canary whose MQTT device installs fine, then sends nothing
        String silent = mqtt.get(1);
        fleet.agent(silent).failureMode(FirmwareAgent.FailureMode.SILENT_AFTER_INSTALL);

        // When the rollout runs its canary (health window of 3 s on the gateway's clock)
        String id = fleet.create(fleet.upload("2.1"), "2.1", "PT3S", silent, coap.get(1));

        // Then the health gate fails it (installed is not healthy), the rollout aborts and says why
        JsonNode view = fleet.awaitState(id, "aborted");
        assertThat(view.path("reason").asText()).contains("error threshold").contains("canary");
        JsonNode canary = view.path("waves").path(0);
        assertThat(canary.path("state").asText()).isEqualTo("failed");
        assertThat(device(canary, silent).path("error").asText())
                .startsWith("health gate: telemetry fell to 0 readings");
        assertThat(view.path("waves").path(1).path("state").asText()).isEqualTo("cancelled");
        assertThat(view.path("waves").path(1).path("startedAt").isNull()).isTrue();
        // ... both canaries are back on 1.0, the silent one sends again, and nobody else ever saw 2.1
        awaitEveryDeviceOn("1.0");
        long sent = fleet.counters(silent).acknowledged.get();
        await().atMost(WAIT).until(() -> fleet.counters(silent).acknowledged.get() > sent + 2);
        // ... and every transition is an event
        List<JsonNode> events = fleet.transitions(id);
        assertThat(transitionsOf(events, silent))
                .containsSubsequence("pending>notified", "installed>failed", "failed>rolled-back");
        assertThat(events).anySatisfy(e -> assertThat(e.path("reason").asText()).startsWith("health gate:"));
        assertThat(transitionsOf(events, "canary")).containsSubsequence("pending>running", "running>failed");
        assertThat(transitionsOf(events, "main")).containsExactly("pending>cancelled");
        assertThat(transitionsOf(events, id)).endsWith("running>aborted");
        assertThat(events)
                .filteredOn(e -> e.path("to").asText().equals("notified"))
                .extracting(e -> e.path("subject").asText())
                .containsExactlyInAnyOrder(silent, coap.get(1));
        fleet.agent(silent).failureMode(FirmwareAgent.FailureMode.NONE);
    }

    @Test
    @Order(3)
    void shouldResumeEachDownloadWithinOneChunkWhenAFifthOfTheFleetLosesItsLinkMidDownload() throws Exception {
        // Given thin links for the cut-* devices, so that their downloads take a while, and the meters now
        fleet.slowLinks(16 * 1024, Duration.ofMillis(40));
        String artifact = fleet.upload("3.0");
        Map<String, Long> bytesBefore = fleet.firmwareBytes();
        double httpBefore = fleet.meter(DOWNLOAD_BYTES, "transport=\"http\"");
        double coapBefore = fleet.meter(DOWNLOAD_BYTES, "transport=\"coap\"");
        String id = fleet.create(artifact, "3.0", "PT3S", mqtt.get(2), coap.get(coap.size() - 1));

        // When every cut-* device is downloading, their links are cut (connections reset, datagrams dropped)
        await().atMost(WAIT).until(() -> fleet.cutIds.stream().allMatch(d -> received(d, bytesBefore) > 0));
        fleet.cutLinks();
        Map<String, Long> atCut = new HashMap<>();
        fleet.cutIds.forEach(d -> atCut.put(d, received(d, bytesBefore)));
        // ... their MQTT sessions went down with the link, as a real device's do
        List<String> cutSessions =
                fleet.cutIds.stream().filter(d -> !FleetFixture.isCoap(d)).toList();
        await().atMost(Duration.ofSeconds(10))
                .until(() -> cutSessions.stream()
                        .noneMatch(d -> fleet.counters(d).online.get()));
        // ... and stay cut while their CoAP requests time out: none of them completes meanwhile
        await().atMost(Duration.ofSeconds(30))
                .during(Duration.ofSeconds(12))
                .until(() -> fleet.cutIds.stream().allMatch(d -> received(d, bytesBefore) < IMAGE_BYTES));
        fleet.restoreLinks();

        // Then canary, then main: every device runs 3.0 and stayed healthy
        JsonNode view = fleet.awaitState(id, "succeeded");
        assertThat(view.path("waves").path(0).path("state").asText()).isEqualTo("succeeded");
        assertThat(view.path("waves").path(1).path("counts").path("healthy").asInt())
                .isEqualTo(fleet.ids.size() - 2);
        awaitEveryDeviceOn("3.0");
        assertThat(cutSessions)
                .allSatisfy(
                        d -> assertThat(fleet.counters(d).online.get()).as(d).isTrue());
        // ... the cut came mid-download, and each device received the image exactly once: it resumed
        assertThat(atCut)
                .allSatisfy((device, bytes) -> assertThat(bytes).as(device).isBetween(1L, IMAGE_BYTES - 1L));
        assertThat(fleet.ids)
                .allSatisfy(d -> assertThat(received(d, bytesBefore)).as(d).isEqualTo(IMAGE_BYTES));
        // ... and the gateway re-sent at most one chunk (HTTP) or block (CoAP) per cut device
        long cutCoap = fleet.cutIds.stream().filter(FleetFixture::isCoap).count();
        long cutMqtt = fleet.cutIds.size() - cutCoap;
        long allCoap = fleet.ids.stream().filter(FleetFixture::isCoap).count();
        long allMqtt = fleet.ids.size() - allCoap;
        double httpResent = fleet.meter(DOWNLOAD_BYTES, "transport=\"http\"") - httpBefore - allMqtt * IMAGE_BYTES;
        double coapResent = fleet.meter(DOWNLOAD_BYTES, "transport=\"coap\"") - coapBefore - allCoap * IMAGE_BYTES;
        System.out.printf(
                "fleet link cut: %d devices, %d cut; re-sent %.0f bytes over HTTP, %.0f over CoAP%n",
                fleet.ids.size(), fleet.cutIds.size(), httpResent, coapResent);
        assertThat(httpResent).isBetween(0.0, (double) cutMqtt * HTTP_CHUNK);
        assertThat(coapResent).isBetween(0.0, (double) cutCoap * COAP_BLOCK);
    }

    @Test
    @Order(4)
    void shouldResumeTheRolloutFromPostgresWhereItWasWhenTheGatewayIsKilledMidWave() throws Exception {
        // Given a main wave under way: devices on direct links installed and in their health window, the cut-*
        // devices still downloading over their thin links
        String artifact = fleet.upload("4.0");
        Map<String, Long> bytesBefore = fleet.firmwareBytes();
        String id = fleet.create(artifact, "4.0", "PT30S", mqtt.get(3), coap.get(0));
        JsonNode[] atKill = new JsonNode[1];
        await().atMost(WAIT).pollInterval(Duration.ofMillis(500)).until(() -> {
            atKill[0] = fleet.rollout(id);
            JsonNode main = atKill[0].path("waves").path(1);
            return main.path("state").asText().equals("running")
                    && main.path("devices").findValuesAsText("state").contains("installed")
                    && fleet.cutIds.stream().allMatch(d -> received(d, bytesBefore) > 0)
                    && fleet.cutIds.stream().anyMatch(d -> received(d, bytesBefore) < IMAGE_BYTES);
        });

        // When the gateway is killed (SIGKILL) and started again on the same data directory
        fleet.gateway.kill();
        fleet.gateway.start();
        fleet.gateway.awaitReady(Duration.ofMinutes(5));

        // Then it is where it was: same rollout, canary done, main running, no device set back
        JsonNode resumed = fleet.rollout(id);
        assertThat(resumed.path("state").asText()).isIn("running", "succeeded");
        assertThat(resumed.path("createdAt")).isEqualTo(atKill[0].path("createdAt"));
        assertThat(resumed.path("waves").path(0).path("state").asText()).isEqualTo("succeeded");
        for (JsonNode wave : atKill[0].path("waves")) {
            for (JsonNode device : wave.path("devices")) {
                String now = device(
                                resumed.path("waves")
                                        .path(wave.path("name").asText().equals("canary") ? 0 : 1),
                                device.path("id").asText())
                        .path("state")
                        .asText();
                assertThat(PROGRESS.indexOf(now))
                        .as(device.path("id").asText() + " was "
                                + device.path("state").asText() + ", now " + now)
                        .isGreaterThanOrEqualTo(
                                PROGRESS.indexOf(device.path("state").asText()));
            }
        }
        // ... and the devices, outlasting the restart (MqttSensorReconnectTest, CoapSensorReconnectTest), send
        // their readings again: the rollout succeeds, every device on 4.0, each image received once (no download
        // started over) and nobody notified twice
        JsonNode done = fleet.awaitState(id, "succeeded");
        assertThat(done.path("waves").path(1).path("counts").path("healthy").asInt())
                .isEqualTo(fleet.ids.size() - 2);
        awaitEveryDeviceOn("4.0");
        assertThat(fleet.ids)
                .allSatisfy(d -> assertThat(received(d, bytesBefore)).as(d).isEqualTo(IMAGE_BYTES));
        Map<String, Long> notified = new HashMap<>();
        fleet.transitions(id).stream()
                .filter(e -> e.path("to").asText().equals("notified"))
                .forEach(e -> notified.merge(e.path("subject").asText(), 1L, Long::sum));
        assertThat(notified)
                .containsOnlyKeys(fleet.ids)
                .allSatisfy((d, times) -> assertThat(times).as(d).isEqualTo(1L));
    }

    /** Every device runs {@code version} and has no update under way (a download it started before a rollback). */
    private void awaitEveryDeviceOn(String version) {
        await().atMost(WAIT)
                .untilAsserted(() -> assertThat(fleet.ids).allSatisfy(device -> {
                    assertThat(fleet.agent(device).version()).as(device).isEqualTo(version);
                    assertThat(fleet.agent(device).busy()).as(device + " busy").isFalse();
                }));
    }

    private long received(String device, Map<String, Long> before) {
        return fleet.counters(device).firmwareBytes.get() - before.get(device);
    }

    private static JsonNode device(JsonNode wave, String id) {
        for (JsonNode device : wave.path("devices")) {
            if (device.path("id").asText().equals(id)) {
                return device;
            }
        }
        throw new AssertionError("no device " + id + " in " + wave);
    }

    /** {@code from>to} of the subject's transitions, oldest first. */
    private static List<String> transitionsOf(List<JsonNode> events, String subject) {
        return events.stream()
                .filter(e -> e.path("subject").asText().equals(subject))
                .map(e -> e.path("from").asText() + ">" + e.path("to").asText())
                .toList();
    }
}
