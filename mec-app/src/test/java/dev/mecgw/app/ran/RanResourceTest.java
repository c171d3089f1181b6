package dev.mecgw.app.ran;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import dev.mecgw.app.registry.DeviceRegistry;
import dev.mecgw.ran.simulator.NetworkSimulator;
import dev.mecgw.ran.simulator.SimulatedUe;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/** Scenario tests of the 5G integration wired into the gateway, against the built-in simulator (issue 7). */
@QuarkusTest
@TestProfile(RanSimulatorProfile.class)
class RanResourceTest {

    private static final String GROUP = "site@site.example";
    /** The embedded database outlives a run (target/test-data); ids are unique per run. */
    private static final String RUN = Long.toString(System.currentTimeMillis() % 1_000_000_000L, 36);
    /** Longest wait for an awaited outcome: a bound for a loaded machine, not a timing check. */
    private static final Duration BOUND = Duration.ofSeconds(30);

    @Inject
    RanNetwork ran;

    @Inject
    DeviceRegistry registry;

    @Inject
    DataSource dataSource;

    @Test
    void shouldMarkTheDeviceOfflineWhenTheNetworkReportsLossOfConnectivity() {
        // given an online camera whose SIM the site monitors
        givenADevice("cam-1-" + RUN, "camera", "extid-cam-1-" + RUN + "@site.example");
        registry.updatePresence("cam-1-" + RUN, true, Instant.now());
        NetworkSimulator simulator = simulator();
        await().atMost(BOUND).until(() -> simulator.monitoringSubscriptionCount() == 3);
        simulator.attach(
                new SimulatedUe("10.45.0.2", "cam-1-" + RUN + "@site.example", GROUP, 1, "000001", "000000001", true));
        await().atMost(BOUND).until(() -> networkOf("cam-1-" + RUN).contains("\"reachable\":true"));
        // when its UE drops off the network
        simulator.loseConnectivity("10.45.0.2");
        // then the device API shows it offline, with the network state and an event row (the network's notification
        // does it, no poll: the time it takes is a benchmark's business, not an assertion under load)
        await().atMost(BOUND)
                .until(() ->
                        !registry.find("cam-1-" + RUN).orElseThrow().status().online());
        given().auth()
                .oauth2(RanSimulatorProfile.ADMIN_TOKEN)
                .get("/api/v1/ran/devices/cam-1-" + RUN + "/network")
                .then()
                .statusCode(200)
                .body("reachable", equalTo(false))
                .body("cellId", equalTo("000000001"));
        given().auth()
                .oauth2(RanSimulatorProfile.ADMIN_TOKEN)
                .get("/api/v1/devices/cam-1-" + RUN)
                .then()
                .statusCode(200)
                .body("status.online", equalTo(false))
                .body("network.reachable", equalTo(false))
                .body("network.cellId", equalTo("000000001"));
        assertThat(eventKinds("cam-1-" + RUN)).contains("ran.presence.loss-of-connectivity");
    }

    @Test
    void shouldOnboardZeroTouchAndHandOutTheSecretOnceWhenAnUnknownSimConnects() {
        // given an unknown SIM on the zero-touch IoT slice
        simulator()
                .attach(new SimulatedUe(
                        "10.45.0.7", "new-7-" + RUN + "@site.example", GROUP, 1, "000001", "000000001", true));
        // when its UE connects
        String id = checkIdentity("10.45.0.7", null)
                .body("outcome", equalTo("ONBOARDED"))
                .body("slice", equalTo("1:000001"))
                .extract()
                .path("deviceId");
        // (issue 14.9: the id is derived with the site key and does not carry the SIM's external id)
        assertThat(id).startsWith("sim-").doesNotContain("new-7");
        // then the device exists with the slice's default type, and its secret can be fetched exactly once
        assertThat(registry.find(id))
                .hasValueSatisfying(d -> assertThat(d.type()).isEqualTo("sensor"));
        given().auth()
                .oauth2(RanSimulatorProfile.ADMIN_TOKEN)
                .get("/api/v1/ran/onboarding/" + id + "/secret")
                .then()
                .statusCode(200)
                .header("Cache-Control", "no-store")
                .body("password", org.hamcrest.Matchers.notNullValue());
        given().auth()
                .oauth2(RanSimulatorProfile.ADMIN_TOKEN)
                .get("/api/v1/ran/onboarding/" + id + "/secret")
                .then()
                .statusCode(404);
        assertThat(eventKinds(id)).contains("ran.identity.onboarded");
    }

    @Test
    void shouldRejectAndRecordAnEventWhenTheSimDoesNotMatch() {
        // given cam-9 registered with another SIM than the UE that claims to be it
        givenADevice("cam-9-" + RUN, "camera", "extid-cam-9-" + RUN + "@site.example");
        simulator()
                .attach(new SimulatedUe(
                        "10.45.0.9", "thief-" + RUN + "@site.example", GROUP, 1, "000001", "000000001", true));
        // when that UE connects as cam-9 / then it is rejected and the attempt is on the audit trail
        checkIdentity("10.45.0.9", "cam-9-" + RUN)
                .body("outcome", equalTo("REJECTED"))
                .body("reason", equalTo("SIM_MISMATCH"));
        assertThat(eventKinds("cam-9-" + RUN)).contains("ran.identity.sim-mismatch");
    }

    @Test
    void shouldGrantAndRefuseQosWhenAskedThroughTheApi() {
        // given two attached cameras, and a QoS profile the PCF refuses
        simulator()
                .attach(new SimulatedUe(
                        "10.45.0.20", "cam-20-" + RUN + "@site.example", GROUP, 1, "000001", "000000001", true));
        simulator()
                .attach(new SimulatedUe(
                        "10.45.0.21", "cam-21-" + RUN + "@site.example", GROUP, 1, "000001", "000000001", true));
        simulator().refuseQos("qos-uhd");
        // when QoS is asked for both
        requestQos("cam-20-" + RUN, "10.45.0.20", "qos-video").statusCode(202).body("state", equalTo("REQUESTED"));
        requestQos("cam-21-" + RUN, "10.45.0.21", "qos-uhd").statusCode(202);
        // then one is granted and can be released, the other is visibly refused
        await().atMost(BOUND).until(() -> qosState("cam-20-" + RUN).equals("ACTIVE"));
        await().atMost(BOUND).until(() -> qosState("cam-21-" + RUN).equals("REFUSED"));
        given().auth()
                .oauth2(RanSimulatorProfile.ADMIN_TOKEN)
                .delete("/api/v1/ran/qos/cam-20-" + RUN)
                .then()
                .statusCode(204);
        assertThat(qosState("cam-20-" + RUN)).isEqualTo("RELEASED");
    }

    @Test
    void shouldRefuseNotificationsWhenTheCapabilityTokenIsWrong() {
        // when someone posts a forged loss of connectivity / then it is refused without effect
        given().contentType(ContentType.JSON)
                .body("{\"subscription\":\"http://x\"}")
                .post("/ran/callbacks/abc/forged")
                .then()
                .statusCode(404);
        // and the operator API still needs the admin token
        given().get("/api/v1/ran/qos/cam-20-" + RUN).then().statusCode(401);
    }

    @Test
    void shouldAnswerBadRequestWhenTheUeAddressIsNotAnIpLiteral() {
        // when a host name is given / then 400 naming the field, and no DNS lookup
        checkIdentityRaw("{\"ueAddress\":\"nef.example.com\"}").statusCode(400);
    }

    private NetworkSimulator simulator() {
        return ran.simulator().orElseThrow();
    }

    private void givenADevice(String id, String type, String gpsi) {
        given().auth()
                .oauth2(RanSimulatorProfile.ADMIN_TOKEN)
                .contentType(ContentType.JSON)
                .body("{\"id\":\"" + id + "\",\"type\":\"" + type + "\",\"sim\":{\"gpsi\":\"" + gpsi + "\"},"
                        + "\"slice\":{\"sst\":1,\"sd\":\"000001\"}}")
                .post("/api/v1/devices")
                .then()
                .statusCode(201);
    }

    private io.restassured.response.ValidatableResponse checkIdentity(String address, String deviceId) {
        String body = "{\"ueAddress\":\"" + address + "\""
                + (deviceId == null ? "" : ",\"deviceId\":\"" + deviceId + "\"") + "}";
        return checkIdentityRaw(body).statusCode(200);
    }

    private io.restassured.response.ValidatableResponse checkIdentityRaw(String body) {
        return given().auth()
                .oauth2(RanSimulatorProfile.ADMIN_TOKEN)
                .contentType(ContentType.JSON)
                .body(body)
                .post("/api/v1/ran/identity-checks")
                .then();
    }

    private io.restassured.response.ValidatableResponse requestQos(String device, String ip, String qosReference) {
        return given().auth()
                .oauth2(RanSimulatorProfile.ADMIN_TOKEN)
                .contentType(ContentType.JSON)
                .body("{\"deviceId\":\"" + device + "\",\"ueIpv4\":\"" + ip + "\",\"flowDescriptions\":"
                        + "[\"permit out 17 from 192.0.2.10 to " + ip + "\"],\"qosReference\":\"" + qosReference
                        + "\",\"durationSeconds\":60}")
                .post("/api/v1/ran/qos")
                .then();
    }

    private String qosState(String device) {
        return given().auth()
                .oauth2(RanSimulatorProfile.ADMIN_TOKEN)
                .get("/api/v1/ran/qos/" + device)
                .then()
                .statusCode(200)
                .extract()
                .path("state");
    }

    private String networkOf(String device) {
        return given().auth()
                .oauth2(RanSimulatorProfile.ADMIN_TOKEN)
                .get("/api/v1/ran/devices/" + device + "/network")
                .then()
                .extract()
                .asString();
    }

    private List<String> eventKinds(String deviceId) throws IllegalStateException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement("SELECT kind FROM events WHERE device_id = ? ORDER BY id")) {
            ps.setString(1, deviceId);
            List<String> kinds = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    kinds.add(rs.getString(1));
                }
            }
            return kinds;
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
