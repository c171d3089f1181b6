package dev.mecgw.devices.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.eclipse.californium.core.CoapHandler;
import org.eclipse.californium.core.CoapObserveRelation;
import org.eclipse.californium.core.CoapResponse;
import org.eclipse.californium.core.coap.CoAP.ResponseCode;
import org.eclipse.californium.core.coap.MediaTypeRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Issue 17 item 8: the two packaged applications end to end, as an operator runs them. The cloud
 * ({@code cloud/target/quarkus-app/quarkus-run.jar}: embedded KRaft Kafka and PostgreSQL) and the gateway
 * ({@code mec-app/target/quarkus-app/quarkus-run.jar}, sync pointed at the cloud's bootstrap) run as processes; real
 * MQTT 5 and CoAP/DTLS devices connect to the gateway. Commands go through the cloud's API, their status comes back
 * through the site's replicated {@code mecgw_downlink_applied}; the typed tables are read with SQL.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class CloudGatewayIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SITE = E2eSite.SITE;
    /** Replication plus delivery on a loaded shared machine; typically a few seconds. */
    private static final Duration WAIT = Duration.ofSeconds(90);

    private static final String MQTT_DEVICE = "e2e-pump";
    private static final String OFFLINE_DEVICE = "e2e-valve";
    private static final String COAP_DEVICE = "e2e-meter";

    private E2eSite site;
    private AppProcess cloud;
    private SiteDevices devices;

    @BeforeAll
    void startCloudAndGateway() throws Exception {
        Path repo = Path.of(System.getProperty("mecgw.repo.root", ".."))
                .toAbsolutePath()
                .normalize();
        Path work = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "cloud-e2e");
        // Rollups every 2 s instead of every minute, heartbeats every 2 s: the test waits for both.
        site = E2eSite.start(
                repo, work, Map.of("MECGW_SYNC_ROLLUP_INTERVAL", "2s", "MECGW_SYNC_HEARTBEAT_INTERVAL", "2s"));
        cloud = site.cloud();
        devices = site.devices();
        assertThat(cloud.logText()).contains("MECGW_SYNC_KAFKA_BOOTSTRAP_SERVERS=127.0.0.1:" + site.kafkaPort());
        site.register(MQTT_DEVICE, "pump");
        site.register(OFFLINE_DEVICE, "valve");
        site.register(COAP_DEVICE, "meter");
        // A command needs the device in the cloud's mirror of the site's registry. The cloud answers 404 for the
        // site until its first replicated row arrived (on a loaded machine that is after the first poll).
        await().atMost(WAIT)
                .ignoreExceptionsInstanceOf(IllegalStateException.class)
                .until(() -> cloudJson("/api/v1/sites/" + SITE + "/devices").size() == 3);
    }

    @AfterAll
    void stop() throws Exception {
        if (site != null) {
            site.close();
        }
    }

    @Test
    @Order(1)
    void shouldAcknowledgeWhenAnMqttDeviceAnswersACloudCommand() throws Exception {
        // given an MQTT device subscribed to its commands
        List<Mqtt5Publish> received = new CopyOnWriteArrayList<>();
        Mqtt5AsyncClient device = devices.mqtt(MQTT_DEVICE, received);
        // when the cloud sends a command
        String id = command(MQTT_DEVICE, "{\"name\":\"reboot\",\"payload\":{\"delay\":5}}");
        // then the device gets it as docs/commands.md says, and its response makes it acknowledged in the cloud
        await().atMost(WAIT).until(() -> !received.isEmpty());
        Mqtt5Publish command = received.get(0);
        assertThat(command.getTopic().toString()).isEqualTo("devices/" + MQTT_DEVICE + "/commands/reboot");
        // The cloud's bytes, whether the site hands the command over at once or later from its command table (the
        // full run of 2026-12-06 06:11 got PostgreSQL's jsonb text from the second, {"delay": 5}; docs/commands.md).
        assertThat(new String(command.getPayloadAsBytes(), StandardCharsets.UTF_8))
                .isEqualTo("{\"delay\":5}");
        SiteDevices.publish(
                device, "devices/" + MQTT_DEVICE + "/commands/reboot/response", "{\"id\":\"" + id + "\",\"ok\":true}");
        awaitCloudStatus(id, "acknowledged");
        SiteDevices.disconnect(device);
    }

    @Test
    @Order(2)
    void shouldAcknowledgeWhenACoapDeviceAnswersACloudCommand() throws Exception {
        // given a CoAP device observing /commands over DTLS
        List<String> seen = new CopyOnWriteArrayList<>();
        CoapObserveRelation relation = devices.coap(COAP_DEVICE, "/commands").observeAndWait(new CoapHandler() {
            @Override
            public void onLoad(CoapResponse response) {
                seen.add(response.getResponseText());
            }

            @Override
            public void onError() {
                // the await below fails instead
            }
        });
        try {
            // when
            String id = command(COAP_DEVICE, "{\"name\":\"calibrate\",\"payload\":{\"zero\":true}}");
            // then the notification carries it; the device's POST makes it acknowledged in the cloud
            await().atMost(WAIT).until(() -> seen.stream().anyMatch(p -> p.contains(id)));
            assertThat(seen).anyMatch(p -> p.contains("\"name\":\"calibrate\"") && p.contains("\"zero\":true"));
            CoapResponse answer = devices.coap(COAP_DEVICE, "/commands")
                    .post("{\"id\":\"" + id + "\",\"ok\":true}", MediaTypeRegistry.APPLICATION_JSON);
            assertThat(answer.getCode()).isEqualTo(ResponseCode.CHANGED);
            awaitCloudStatus(id, "acknowledged");
        } finally {
            relation.proactiveCancel();
        }
    }

    @Test
    @Order(3)
    void shouldDeliverOnReconnectWhenTheDeviceWasOfflineAtSendTime() throws Exception {
        // given a device with a persistent session that went offline
        List<Mqtt5Publish> received = new CopyOnWriteArrayList<>();
        SiteDevices.disconnect(devices.mqtt(OFFLINE_DEVICE, received));
        // when the cloud sends it a command, which waits at the site
        String id = command(OFFLINE_DEVICE, "{\"name\":\"close\",\"payload\":{}}");
        awaitCloudStatus(id, "at-site");
        Mqtt5AsyncClient device = devices.mqtt(OFFLINE_DEVICE, received);
        // then it arrives on reconnect, and the device's answer reaches the cloud
        await().atMost(WAIT)
                .until(() -> received.stream()
                        .anyMatch(
                                p -> p.getTopic().toString().equals("devices/" + OFFLINE_DEVICE + "/commands/close")));
        SiteDevices.publish(
                device, "devices/" + OFFLINE_DEVICE + "/commands/close/response", "{\"id\":\"" + id + "\"}");
        awaitCloudStatus(id, "acknowledged");
        SiteDevices.disconnect(device);
    }

    @Test
    @Order(4)
    void shouldReportExpiredFromTheSiteWhenTheTtlPassesWhileTheDeviceIsOffline() throws Exception {
        // given the device of the previous case, offline again
        // when a command with a 3 s TTL waits past it
        String id = command(OFFLINE_DEVICE, "{\"name\":\"blink\",\"payload\":{},\"ttl\":3}");
        // then the site records it expired (with its reason), which the cloud reports
        await().atMost(WAIT).until(() -> {
            JsonNode status = cloudJson("/api/v1/sites/" + SITE + "/commands/" + id);
            return "expired".equals(status.path("status").asText())
                    && !status.path("reason").asText().isEmpty();
        });
        assertThat(cloudSql("SELECT outcome FROM mecgw_downlink_applied WHERE site_id = ? AND id = ?", SITE, id))
                .isEqualTo("expired");
    }

    @Test
    @Order(5)
    void shouldLandDevicesEventsTwinsAndRollupsTypedPerSite() throws Exception {
        // given readings of the MQTT device, one in a minute already closed (the rollup covers closed minutes)
        Mqtt5AsyncClient device = devices.mqtt(MQTT_DEVICE, new CopyOnWriteArrayList<>());
        long closedMinute = Instant.now().minusSeconds(120).toEpochMilli();
        SiteDevices.publish(
                device, "devices/" + MQTT_DEVICE + "/telemetry", "{\"temp\":21.5,\"ts\":" + closedMinute + "}");
        SiteDevices.publish(device, "devices/" + MQTT_DEVICE + "/telemetry", "{\"temp\":22.5}");
        // when the cloud sets desired state
        HttpResponse<String> desired = cloud.send(
                "PUT", "/api/v1/sites/" + SITE + "/devices/" + MQTT_DEVICE + "/twin/desired", "{\"interval\":5}");
        assertThat(desired.statusCode()).as(desired.body()).isEqualTo(202);
        JsonNode accepted = JSON.readTree(desired.body());
        // then the site applies it and every kind of row is in the cloud's typed tables, per site
        awaitCloudStatus(accepted.path("id").asText(), "applied");
        await().atMost(WAIT)
                .until(() -> cloudSql(
                                "SELECT desired_version FROM device_twins WHERE site_id = ? AND device_id = ?",
                                SITE,
                                MQTT_DEVICE)
                        .equals(accepted.path("version").asText()));
        assertThat(cloudSql(
                        "SELECT desired->>'interval' FROM device_twins WHERE site_id = ? AND device_id = ?",
                        SITE,
                        MQTT_DEVICE))
                .isEqualTo("5");
        await().atMost(WAIT)
                .until(() -> !cloudJson("/api/v1/sites/" + SITE + "/devices/" + MQTT_DEVICE + "/rollups?metric=temp")
                        .isEmpty());
        assertThat(cloudSql(
                        "SELECT max FROM telemetry_rollup_1m WHERE site_id = ? AND device_id = ? AND metric = 'temp'"
                                + " AND minute = date_trunc('minute', to_timestamp(" + closedMinute + " / 1000.0))",
                        SITE,
                        MQTT_DEVICE))
                .isEqualTo("21.5");
        // the query of the issue, on typed columns: the command responses of the cases before are events
        assertThat(Long.parseLong(cloudSql(
                        "SELECT count(*) FROM events WHERE site_id = ? AND ts > now() - interval '1 day'"
                                + " AND kind = ? AND device_id IS NOT NULL",
                        SITE,
                        "command-response")))
                .isGreaterThanOrEqualTo(3);
        assertThat(cloudJson("/api/v1/sites/" + SITE + "/events?limit=1000"))
                .anyMatch(e -> e.path("kind").asText().equals("command-response"));
        assertThat(cloudSql(
                        "SELECT string_agg(id || ':' || type, ',' ORDER BY id) FROM devices WHERE site_id = ?"
                                + " AND NOT deleted",
                        SITE))
                .isEqualTo("e2e-meter:meter,e2e-pump:pump,e2e-valve:valve");
        // and the fleet view shows the site online through its heartbeats
        await().atMost(WAIT).until(() -> {
            for (JsonNode site : cloudJson("/api/v1/sites")) {
                if (site.path("siteId").asText().equals(SITE)) {
                    return site.path("online").asBoolean();
                }
            }
            return false;
        });
        SiteDevices.disconnect(device);
    }

    /** Sends a command through the cloud's API; returns its id. */
    private String command(String deviceId, String body) throws Exception {
        HttpResponse<String> response =
                cloud.send("POST", "/api/v1/sites/" + SITE + "/devices/" + deviceId + "/commands", body);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
        return JSON.readTree(response.body()).path("id").asText();
    }

    private void awaitCloudStatus(String id, String expected) {
        await().atMost(WAIT)
                .alias("cloud status of " + id + " becomes " + expected)
                .until(() -> expected.equals(cloudJson("/api/v1/sites/" + SITE + "/commands/" + id)
                        .path("status")
                        .asText()));
    }

    private JsonNode cloudJson(String path) throws Exception {
        return site.cloudJson(path);
    }

    /** One value of a query against the cloud's database, as an analyst would run it. */
    private String cloudSql(String sql, String... parameters) throws Exception {
        try (Connection connection = site.cloudDatabase();
                PreparedStatement query = connection.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                query.setString(i + 1, parameters[i]);
            }
            try (ResultSet row = query.executeQuery()) {
                return row.next() ? String.valueOf(row.getString(1)) : "";
            }
        }
    }
}
