package dev.mecgw.app.ota;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mecgw.app.artifacts.ArtifactStore;
import dev.mecgw.app.events.EventAnnouncer;
import dev.mecgw.app.events.EventRecorded;
import dev.mecgw.app.events.PostgresEventLog;
import dev.mecgw.app.ota.app.OtaProducers;
import dev.mecgw.app.twin.DesiredTwinPush;
import dev.mecgw.app.twin.DeviceMessenger;
import dev.mecgw.app.twin.DeviceUpdatePublisher;
import dev.mecgw.app.twin.TwinStore;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.specification.RequestSpecification;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.IntStream;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The rollout API over the real store, twins and event log (issue 18 items 2-4). */
@QuarkusTest
class RolloutResourceTest {

    @Inject
    Rollouts rollouts;

    @Inject
    TwinStore twins;

    @Inject
    DataSource dataSource;

    @Inject
    ArtifactStore artifacts;

    @Inject
    DeviceMessenger messenger;

    @Inject
    DeviceUpdatePublisher updates;

    @Inject
    Event<EventRecorded> recorded;

    @Inject
    OtaProducers ota;

    @AfterEach
    void releaseScheduledTicks() {
        ota.releaseTicks();
    }

    @Test
    void shouldNotifyTheCanaryThenTheMainWaveWhenTheCanaryStaysHealthy() {
        // Given four devices with a label, an artifact, and a rollout with a canary of one
        String label = givenFleetLabel();
        List<String> fleet = givenDevices(label, 4);
        String artifact = givenArtifact();

        // When
        String id = givenAdmin()
                .body(rollout(artifact, label, fleet.get(0), "PT1S"))
                .post("/api/v1/rollouts")
                .then()
                .statusCode(201)
                .body("id", notNullValue())
                .body("state", equalTo("running"))
                .body("waves[0].state", equalTo("running"))
                .body("waves[0].devices[0].state", equalTo("notified"))
                .body("waves[1].state", equalTo("pending"))
                .extract()
                .path("id");

        // Then the canary's desired twin carries the firmware object
        JsonNode firmware = twins.get(fleet.get(0)).path("desired").path("firmware");
        assertThat(firmware.path("version").asText()).isEqualTo("2.0");
        assertThat(firmware.path("rollout").asText()).isEqualTo(id);
        assertThat(firmware.path("sha256").asText()).hasSize(64);
        String key = givenAdmin()
                .get("/api/v1/rollouts/signing-key")
                .then()
                .statusCode(200)
                .extract()
                .path("publicKey");
        assertThat(FirmwareSigner.verify(
                        key,
                        artifact,
                        "2.0",
                        firmware.path("sha256").asText(),
                        firmware.path("signature").asText()))
                .isTrue();

        // When the canary reports success and stays healthy for the window, the main wave starts
        report(fleet.get(0), "2.0", 1, id);
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            rollouts.tick();
            JsonPath view = view(id);
            assertThat(view.getString("waves[0].devices[0].state")).isEqualTo("healthy");
            assertThat(view.getString("waves[0].state")).isEqualTo("succeeded");
            assertThat(view.getString("waves[1].state")).isEqualTo("running");
        });
        assertThat(twins.get(fleet.get(3))
                        .path("desired")
                        .path("firmware")
                        .path("rollout")
                        .asText())
                .isEqualTo(id);
        assertThat(transitions(id)).isGreaterThanOrEqualTo(8);
    }

    @Test
    void shouldNotifyADeviceRegisteredAfterTheStartWhenItMatchesTheSelector() {
        // Given a running rollout over a labelled fleet of two (canary + main)
        String label = givenFleetLabel();
        List<String> fleet = givenDevices(label, 2);
        String id = givenARollout(givenArtifact(), label, fleet.get(0), "PT1S");

        // When a device with the label is registered afterwards and the canary succeeds
        String late = givenDevice(label + "-late", label);
        report(fleet.get(0), "2.0", 1, id);

        // Then it joined the main wave and its desired twin names the new firmware
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            rollouts.tick();
            JsonPath view = view(id);
            assertThat(view.getString("waves[1].state")).isEqualTo("running");
            assertThat(view.getList("waves[1].devices.id")).contains(late);
            assertThat(view.getInt("waves[1].counts.notified")).isEqualTo(2);
        });
        assertThat(twins.get(late)
                        .path("desired")
                        .path("firmware")
                        .path("rollout")
                        .asText())
                .isEqualTo(id);
    }

    @Test
    void shouldAdoptDevicesThatMatchAfterTheRolloutSucceededAndKeepThemAcrossARestart() {
        // Given a rollout over a labelled fleet of two that succeeded
        String label = givenFleetLabel();
        List<String> fleet = givenDevices(label, 2);
        String id = givenASucceededRollout(label, fleet);

        // When a device with the label is registered, and a device that already runs 2.0 is labelled, afterwards
        String late = givenDevice(label + "-late", label);
        String current = givenDevice(label + "-current", label + "-other");
        twins.report(
                current,
                "{\"firmware\":{\"version\":\"2.0\",\"state\":\"idle\",\"result\":1}}"
                        .getBytes(StandardCharsets.UTF_8));
        relabel(current, label);

        // Then the rollout adopted both and stays succeeded: the late one is notified through its desired twin, the
        // other is recorded healthy
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            rollouts.tick();
            JsonPath view = view(id);
            assertThat(view.getList("adopted.devices.id")).containsExactlyInAnyOrder(late, current);
        });
        JsonPath adopted = view(id);
        assertThat(adopted.getString("state")).isEqualTo("succeeded");
        assertThat(adopted.getString("adopted.devices.find { it.id == '" + late + "' }.state"))
                .isEqualTo("notified");
        assertThat(adopted.getString("adopted.devices.find { it.id == '" + current + "' }.state"))
                .isEqualTo("healthy");
        assertThat(adopted.getList("waves.devices.flatten().id")).doesNotContain(late, current);
        JsonNode lateTwin = twins.get(late);
        assertThat(lateTwin.path("desired").path("firmware").path("rollout").asText())
                .isEqualTo(id);
        assertThat(transitionsOf(id, late, "notified")).isEqualTo(1);

        // When a fresh instance with nothing in memory takes over (as after a restart)
        Rollouts restarted = givenRollouts(dataSource);
        restarted.tick();

        // Then nobody was adopted or notified twice, and the late device goes on from its stored state
        assertThat(twins.get(late).path("desiredVersion").asLong())
                .isEqualTo(lateTwin.path("desiredVersion").asLong());
        assertThat(transitionsOf(id, late, "notified")).isEqualTo(1);
        assertThat(restarted.get(id).adopted()).hasSize(2);
        report(late, "2.0", 1, id);
        restarted.tick();
        assertThat(restarted.get(id).device(late).orElseThrow().state())
                .isIn(DeviceState.INSTALLED, DeviceState.HEALTHY);
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            rollouts.tick();
            assertThat(view(id).getString("adopted.counts.healthy")).isEqualTo("2");
        });
        assertThat(view(id).getString("state")).isEqualTo("succeeded");
    }

    @Test
    void shouldNotReloadASettledRolloutForAnAdoptedDeviceThatTimedOutUntilItReportsAgain() {
        // Only the ticks of the test clock move the rollout: a scheduled one (system clock) that loaded it before the
        // timeout could store it back over the timed-out state
        ota.holdTicks();

        // Given a succeeded rollout that adopted a late device, which reported downloading on it and went silent
        String label = givenFleetLabel();
        String id = givenASucceededRollout(label, givenDevices(label, 2));
        String late = givenDevice(label + "-late", label);
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            rollouts.tick();
            assertThat(view(id).getList("adopted.devices.id")).containsExactly(late);
        });
        reportState(late, "downloading", id);
        ObjectMapper json = new ObjectMapper().findAndRegisterModules();
        CountingRolloutStore store = new CountingRolloutStore(dataSource, json);
        RolloutMachineTest.ManualClock clock = new RolloutMachineTest.ManualClock(Instant.now());
        Rollouts counted = givenRollouts(dataSource, store, clock);
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            counted.tick();
            assertThat(counted.get(id).device(late).orElseThrow().state()).isEqualTo(DeviceState.DOWNLOADING);
        });

        // When its device timeout runs out, and the gateway ticks on
        clock.advance(Duration.ofMinutes(31));
        counted.tick();
        assertThat(counted.get(id).device(late).orElseThrow().state()).isEqualTo(DeviceState.TIMED_OUT);
        store.reset();
        for (int i = 0; i < 3; i++) {
            counted.tick();
        }

        // Then the settled rollout is not loaded again (before the fix: once per tick, for good), and its stale
        // report did not move the device back
        assertThat(store.finds(id)).isZero();
        assertThat(counted.get(id).device(late).orElseThrow().state()).isEqualTo(DeviceState.TIMED_OUT);

        // When the device comes back and reports the installed version, then it is picked up on the next tick
        store.reset();
        report(late, "2.0", 1, id);
        counted.tick();
        assertThat(store.finds(id)).isEqualTo(1);
        assertThat(counted.get(id).device(late).orElseThrow().state()).isIn(DeviceState.INSTALLED, DeviceState.HEALTHY);
    }

    @Test
    void shouldKeepAWaveMemberTimedOutWhileTheRolloutRunsUntilItReportsAgain() {
        // Given a running rollout whose canary member reported downloading, went silent and timed out
        TimedOut given = givenACanaryMemberTimedOutInDownloading();
        String id = given.rollout();
        String silent = given.device();

        // When the gateway ticks on over four more timeouts, each tick reading the old report from the twin again
        long events = transitions(id);
        for (int i = 0; i < 4; i++) {
            given.clock().advance(Duration.ofMinutes(31));
            given.clocked().tick();
        }

        // Then it stays timed out and no event is recorded (before the fix: back to downloading and timed out again,
        // two events every two ticks); the store keeps the report it timed out on
        assertThat(transitions(id)).isEqualTo(events);
        Rollout running = given.clocked().get(id);
        assertThat(running.state()).isEqualTo(RolloutState.RUNNING);
        assertThat(running.device(silent).orElseThrow().state()).isEqualTo(DeviceState.TIMED_OUT);
        assertThat(running.device(silent).orElseThrow().reportSeen()).isEqualTo(given.lastReport());

        // When the device comes back and reports downloading again, then the next tick picks it up
        reportState(silent, "downloading", id);
        given.clocked().tick();
        assertThat(given.clocked().get(id).device(silent).orElseThrow().state()).isEqualTo(DeviceState.DOWNLOADING);
        assertThat(transitionsOf(id, silent, "downloading")).isEqualTo(2);
    }

    @Test
    void shouldKeepATimedOutDeviceTimedOutWhenItReportsAnotherKeyOfItsTwin() {
        // Given a running rollout whose canary member reported downloading, went silent and timed out
        TimedOut given = givenACanaryMemberTimedOutInDownloading();
        String id = given.rollout();
        String silent = given.device();
        long events = transitions(id);

        // When it reports a sensor setting, another key of its reported twin: its firmware object stays as it was
        twins.report(silent, "{\"config\":{\"interval\":5}}".getBytes(StandardCharsets.UTF_8));
        given.clock().advance(Duration.ofMinutes(1));
        given.clocked().tick();

        // Then it stays timed out, no event (before the fix: back to downloading on its old firmware object, and timed
        // out again after deviceTimeout)
        assertThat(transitions(id)).isEqualTo(events);
        assertThat(given.clocked().get(id).device(silent).orElseThrow().state()).isEqualTo(DeviceState.TIMED_OUT);

        // When it reports its firmware object again, then it is back
        reportState(silent, "downloading", id);
        given.clocked().tick();
        assertThat(given.clocked().get(id).device(silent).orElseThrow().state()).isEqualTo(DeviceState.DOWNLOADING);
    }

    @Test
    void shouldWaitForANewReportOfARetriedDeviceAndRollItBackToItsFirmwareFromBeforeTheRollout() {
        // Only the ticks of the test clock move the rollout (see givenACanaryMemberTimedOutInDownloading)
        ota.holdTicks();

        // Given a running rollout whose canary of two holds a device on firmware 1.0 that failed the integrity check;
        // one failure of two stays under minDevices, so the rollout runs on
        String label = givenFleetLabel();
        List<String> fleet = givenDevices(label, 3);
        String failing = fleet.get(0);
        givenAdmin()
                .body("{\"firmware\":{\"version\":\"1.0\",\"name\":\"old.bin\"}}")
                .put("/api/v1/devices/" + failing + "/twin/desired")
                .then()
                .statusCode(200);
        String id = givenACanaryOfTwo(label, failing, fleet.get(1));
        report(failing, "1.0", 5, id);
        RolloutMachineTest.ManualClock clock = new RolloutMachineTest.ManualClock(Instant.now());
        Rollouts clocked = givenRollouts(
                dataSource, new PostgresRolloutStore(dataSource, new ObjectMapper().findAndRegisterModules()), clock);
        clocked.tick();
        assertThat(clocked.get(id).device(failing).orElseThrow().state()).isEqualTo(DeviceState.FAILED);

        // When the operator retries it, and the gateway ticks on while its twin still holds the failed result
        givenAdmin()
                .post("/api/v1/rollouts/" + id + "/retry-failed")
                .then()
                .statusCode(200)
                .body("waves[0].devices[0].state", equalTo("notified"));
        long events = transitions(id);
        for (int i = 0; i < 3; i++) {
            clock.advance(Duration.ofMinutes(5));
            clocked.tick();
        }

        // Then it waits, notified, and no event is recorded (before the fix: failed again by the first tick)
        assertThat(transitions(id)).isEqualTo(events);
        assertThat(clocked.get(id).device(failing).orElseThrow().state()).isEqualTo(DeviceState.NOTIFIED);

        // When it reports on its new attempt, then the next tick moves it
        reportState(failing, "downloading", id);
        clocked.tick();
        assertThat(clocked.get(id).device(failing).orElseThrow().state()).isEqualTo(DeviceState.DOWNLOADING);

        // When the rollout is aborted, then the device is back on 1.0 (before the fix the retry recorded the rollout's
        // own firmware object as the one to restore, and the abort left it on 2.0)
        givenAdmin().post("/api/v1/rollouts/" + id + "/abort").then().statusCode(200);
        JsonNode firmware = twins.get(failing).path("desired").path("firmware");
        assertThat(firmware.path("version").asText()).isEqualTo("1.0");
        assertThat(firmware.has("rollout")).isFalse();
    }

    /**
     * A running rollout whose canary of two waits: one installed (in a long health window), the other reported
     * downloading, went silent and timed out on the ticks of a test clock; one timeout of two stays under minDevices,
     * so the rollout runs on.
     */
    private TimedOut givenACanaryMemberTimedOutInDownloading() {
        // Only the ticks of the test clock move the rollout: the scheduled ones (system clock) would race them;
        // holding them waits out one in flight
        ota.holdTicks();
        String label = givenFleetLabel();
        List<String> fleet = givenDevices(label, 3);
        String silent = fleet.get(0);
        String id = givenACanaryOfTwo(label, silent, fleet.get(1));
        long before = reportState(silent, "downloading", id);
        report(fleet.get(1), "2.0", 1, id);
        RolloutMachineTest.ManualClock clock = new RolloutMachineTest.ManualClock(Instant.now());
        Rollouts clocked = givenRollouts(
                dataSource, new PostgresRolloutStore(dataSource, new ObjectMapper().findAndRegisterModules()), clock);
        clocked.tick();
        assertThat(clocked.get(id).device(silent).orElseThrow().state()).isEqualTo(DeviceState.DOWNLOADING);
        clock.advance(Duration.ofMinutes(31));
        clocked.tick();
        assertThat(clocked.get(id).device(silent).orElseThrow().state()).isEqualTo(DeviceState.TIMED_OUT);
        return new TimedOut(id, silent, before, clock, clocked);
    }

    /**
     * @param lastReport the twin's reported version of the device's last report before it timed out
     * @param clocked a service on {@code clock}, over the application's store and twins
     */
    private record TimedOut(
            String rollout, String device, long lastReport, RolloutMachineTest.ManualClock clock, Rollouts clocked) {}

    /** A rollout with a canary of two, {@code minDevices} 2, a health window of 10 h and a device timeout of 30 min. */
    private static String givenACanaryOfTwo(String label, String first, String second) {
        return givenAdmin()
                .body("{\"artifact\":\"" + givenArtifact() + "\",\"version\":\"2.0\","
                        + "\"selector\":{\"type\":\"sensor\",\"labels\":{\"fleet\":\"" + label + "\"}},"
                        + "\"waves\":[{\"name\":\"canary\",\"devices\":[\"" + first + "\",\"" + second
                        + "\"]},{\"name\":\"main\",\"percent\":100}],\"successThreshold\":0.95,"
                        + "\"errorThreshold\":{\"percent\":5,\"minDevices\":2},\"healthWindow\":\"PT10H\","
                        + "\"deviceTimeout\":\"PT30M\",\"onWaveSuccess\":\"next\"}")
                .post("/api/v1/rollouts")
                .then()
                .statusCode(201)
                .extract()
                .path("id");
    }

    @Test
    void shouldLeaveLateDevicesToANewerRolloutUntilItIsAborted() {
        // Given a succeeded rollout, and a newer one for the same devices that runs
        String label = givenFleetLabel();
        List<String> fleet = givenDevices(label, 2);
        String older = givenASucceededRollout(label, fleet);
        String newer = givenARollout(givenArtifact(), label, fleet.get(0), "PT5M");

        // When a matching device is registered, then it joins the newer rollout and the older one adopts nobody
        String late = givenDevice(label + "-late", label);
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            rollouts.tick();
            assertThat(view(newer).getList("waves[1].devices.id")).contains(late);
        });
        assertThat(view(older).getList("adopted.devices.id")).isEmpty();

        // When the newer rollout is aborted, then the older one's version is the fleet's again: it adopts the device
        givenAdmin().post("/api/v1/rollouts/" + newer + "/abort").then().statusCode(200);
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            rollouts.tick();
            assertThat(view(older).getList("adopted.devices.id")).containsExactly(late);
        });
        assertThat(twins.get(late)
                        .path("desired")
                        .path("firmware")
                        .path("rollout")
                        .asText())
                .isEqualTo(older);
    }

    /** A rollout (canary = the first device, main = the rest) whose devices all installed and stayed healthy. */
    private String givenASucceededRollout(String label, List<String> fleet) {
        String id = givenARollout(givenArtifact(), label, fleet.get(0), "PT1S");
        report(fleet.get(0), "2.0", 1, id);
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            rollouts.tick();
            assertThat(view(id).getString("waves[1].state")).isEqualTo("running");
        });
        fleet.subList(1, fleet.size()).forEach(device -> report(device, "2.0", 1, id));
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            rollouts.tick();
            assertThat(view(id).getString("state")).isEqualTo("succeeded");
        });
        return id;
    }

    private static void relabel(String device, String label) {
        givenAdmin()
                .body("{\"type\":\"sensor\",\"labels\":{\"fleet\":\"" + label + "\"}}")
                .put("/api/v1/devices/" + device)
                .then()
                .statusCode(200);
    }

    private long transitionsOf(String id, String device, String to) {
        return count(
                "SELECT count(*) FROM events WHERE kind = 'rollout.transition' AND payload->>'rollout' = ?"
                        + " AND payload->>'subject' = ? AND payload->>'to' = ?",
                id,
                device,
                to);
    }

    @Test
    void shouldAbortAndRestoreTheDesiredTwinWhenTheCanaryFailsTheIntegrityCheck() {
        // Given a canary whose desired firmware was 1.0
        String label = givenFleetLabel();
        List<String> fleet = givenDevices(label, 3);
        String artifact = givenArtifact();
        givenAdmin()
                .body("{\"firmware\":{\"version\":\"1.0\",\"name\":\"old.bin\"},\"led\":\"on\"}")
                .put("/api/v1/devices/" + fleet.get(0) + "/twin/desired")
                .then()
                .statusCode(200);
        String id = givenARollout(artifact, label, fleet.get(0), "PT5M");

        // When it reports result 5 (integrity check failure)
        report(fleet.get(0), "1.0", 5, id);
        rollouts.tick();

        // Then the rollout aborted with its reason, the main wave never started, the canary is back on 1.0
        givenAdmin()
                .get("/api/v1/rollouts/" + id)
                .then()
                .statusCode(200)
                .body("state", equalTo("aborted"))
                .body("reason", containsString("error threshold"))
                .body("waves[0].devices[0].state", equalTo("rolled-back"))
                .body("waves[0].devices[0].result", equalTo(5))
                .body("waves[0].devices[0].error", containsString("hash mismatch"))
                .body("waves[1].state", equalTo("cancelled"));
        JsonNode desired = twins.get(fleet.get(0)).path("desired");
        assertThat(desired.path("firmware").path("version").asText()).isEqualTo("1.0");
        assertThat(desired.path("led").asText()).isEqualTo("on");
        assertThat(twins.get(fleet.get(1)).path("desired").has("firmware")).isFalse();
        givenAdmin().post("/api/v1/rollouts/" + id + "/resume").then().statusCode(409);
    }

    @Test
    void shouldGoOnFromTheStoreWhenAFreshInstanceTakesOver() {
        // Given a rollout whose canary was notified by the running gateway
        String label = givenFleetLabel();
        List<String> fleet = givenDevices(label, 2);
        String id = givenARollout(givenArtifact(), label, fleet.get(0), "PT5M");

        // When a new Rollouts with nothing in memory (as after a restart) reads the canary's report
        ObjectMapper json = new ObjectMapper().findAndRegisterModules();
        PostgresRolloutStore store = new PostgresRolloutStore(dataSource, json);
        Rollouts restarted = new Rollouts(
                store,
                new RolloutMachine(Clock.systemUTC(), (device, started, installed, now) -> Optional.empty()),
                new RolloutPlanner(null, store, Clock.systemUTC(), null),
                // This step writes no desired twin (the health window is 5 minutes), so no messenger is needed.
                new TwinFirmware(twins, null, json),
                (device, kind, severity, payload) -> {},
                json);
        report(fleet.get(0), "2.0", 1, id);
        restarted.tick();

        // Then it went on from the stored state: the canary is installed, the main wave still waits
        assertThat(restarted.get(id).device(fleet.get(0)).orElseThrow().state()).isEqualTo(DeviceState.INSTALLED);
        assertThat(view(id).getString("waves[1].state")).isEqualTo("pending");
    }

    @Test
    void shouldCreateAndAbortARolloutOfManyDevicesInOneCommitEachWhenItsFirstWaveHoldsThemAll() {
        // Given 120 devices and a rollout service whose stores count what they commit (issue 18: one fsync'd commit
        // per desired twin and per event made 1,000 devices take 35 s to create)
        String label = givenFleetLabel();
        List<String> fleet = givenDevices(label, 120);
        String artifact = givenArtifact();
        CountingDataSource counting = new CountingDataSource(dataSource);
        Rollouts counted = givenRollouts(counting.dataSource);

        // When the rollout is created with one wave of every device
        counting.reset();
        Rollout rollout = counted.create(json("{\"artifact\":\"" + artifact + "\",\"version\":\"2.0\","
                + "\"selector\":{\"type\":\"sensor\",\"labels\":{\"fleet\":\"" + label + "\"}},"
                + "\"waves\":[{\"name\":\"all\",\"percent\":100}],\"healthWindow\":\"PT5M\"}"));

        // Then the rollout, 120 desired twins and their events were one commit, and nothing was written outside it
        assertThat(counting.commits.get()).isEqualTo(1);
        assertThat(counting.autoCommitWrites.get()).isZero();
        assertThat(fleet)
                .allSatisfy(device -> assertThat(twins.get(device)
                                .path("desired")
                                .path("firmware")
                                .path("rollout")
                                .asText())
                        .isEqualTo(rollout.id()));
        // one event per device notified and one for the wave that started
        assertThat(transitions(rollout.id())).isEqualTo(fleet.size() + 1L);

        // And when the operator aborts it, rolling every device back is one commit too
        counting.reset();
        counted.abort(rollout.id());
        assertThat(counting.durableCommits()).isEqualTo(1);
        assertThat(fleet)
                .allSatisfy(
                        device -> assertThat(twins.get(device).path("desired").has("firmware"))
                                .isFalse());
    }

    private Rollouts givenRollouts(DataSource pool) {
        return givenRollouts(
                pool, new PostgresRolloutStore(pool, new ObjectMapper().findAndRegisterModules()), Clock.systemUTC());
    }

    private Rollouts givenRollouts(DataSource pool, PostgresRolloutStore store, Clock clock) {
        ObjectMapper json = new ObjectMapper().findAndRegisterModules();
        return new Rollouts(
                store,
                new RolloutMachine(clock, (device, started, installed, now) -> Optional.empty()),
                new RolloutPlanner(artifacts, store, clock, FirmwareSigner.fromSeed(new byte[32])),
                new TwinFirmware(TwinStore.postgres(pool, json), new DesiredTwinPush(updates, messenger), json),
                new PostgresEventLog(pool, json, new EventAnnouncer(recorded)),
                json);
    }

    private static RolloutRequest json(String body) {
        try {
            return new ObjectMapper().findAndRegisterModules().readValue(body, RolloutRequest.class);
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException(e);
        }
    }

    @Test
    void shouldPauseAndResumeWhenTheOperatorAsks() {
        String label = givenFleetLabel();
        List<String> fleet = givenDevices(label, 2);
        String id = givenARollout(givenArtifact(), label, fleet.get(0), "PT5M");

        givenAdmin()
                .post("/api/v1/rollouts/" + id + "/pause")
                .then()
                .statusCode(200)
                .body("state", equalTo("paused"));
        givenAdmin().post("/api/v1/rollouts/" + id + "/pause").then().statusCode(409);
        givenAdmin()
                .post("/api/v1/rollouts/" + id + "/resume")
                .then()
                .statusCode(200)
                .body("state", equalTo("running"));
        givenAdmin()
                .post("/api/v1/rollouts/" + id + "/abort")
                .then()
                .statusCode(200)
                .body("state", equalTo("aborted"));
        givenAdmin().get("/api/v1/rollouts").then().statusCode(200).body("id", hasItem(id));
        givenAdmin().get("/api/v1/rollouts/nope").then().statusCode(404);
    }

    @Test
    void shouldNameTheFieldWhenTheBodyIsInvalid() {
        String artifact = givenArtifact();
        assertBadRequest("{\"version\":\"2\",\"waves\":[{\"name\":\"a\",\"percent\":10}]}", "artifact");
        assertBadRequest(
                "{\"artifact\":\"missing.bin\",\"version\":\"2\",\"waves\":[{\"name\":\"a\",\"percent\":10}]}",
                "artifact");
        assertBadRequest("{\"artifact\":\"" + artifact + "\",\"version\":\"2\",\"waves\":[]}", "waves");
        assertBadRequest(
                "{\"artifact\":\"" + artifact + "\",\"version\":\"2\",\"waves\":[{\"name\":\"a\",\"percent\":0}]}",
                "waves[0].percent");
        assertBadRequest(
                "{\"artifact\":\"" + artifact
                        + "\",\"version\":\"2\",\"waves\":[{\"name\":\"a\",\"devices\":[\"ghost\"]}]}",
                "waves[0].devices");
        assertBadRequest(
                "{\"artifact\":\"" + artifact + "\",\"version\":\"2\",\"healthWindow\":\"5 minutes\","
                        + "\"waves\":[{\"name\":\"a\",\"percent\":100}]}",
                "healthWindow");
        assertBadRequest(
                "{\"artifact\":\"" + artifact + "\",\"version\":\"2\",\"onWaveSuccess\":\"later\","
                        + "\"waves\":[{\"name\":\"a\",\"percent\":100}]}",
                "onWaveSuccess");
    }

    private static void assertBadRequest(String body, String field) {
        givenAdmin()
                .body(body)
                .post("/api/v1/rollouts")
                .then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("errors.field", hasItem(field))
                .body(not(containsString("Exception")));
    }

    private static String givenARollout(String artifact, String label, String canary, String healthWindow) {
        return givenAdmin()
                .body(rollout(artifact, label, canary, healthWindow))
                .post("/api/v1/rollouts")
                .then()
                .statusCode(201)
                .extract()
                .path("id");
    }

    private static String rollout(String artifact, String label, String canary, String healthWindow) {
        return "{\"artifact\":\"" + artifact + "\",\"version\":\"2.0\","
                + "\"selector\":{\"type\":\"sensor\",\"labels\":{\"fleet\":\"" + label + "\"}},"
                + "\"waves\":[{\"name\":\"canary\",\"devices\":[\"" + canary
                + "\"]},{\"name\":\"main\",\"percent\":100}],"
                + "\"successThreshold\":0.95,\"errorThreshold\":{\"percent\":5,\"minDevices\":1},"
                + "\"healthWindow\":\"" + healthWindow + "\",\"deviceTimeout\":\"PT30M\",\"onWaveSuccess\":\"next\"}";
    }

    private void report(String device, String version, int result, String rollout) {
        String error = result == 5 ? ",\"error\":\"hash mismatch\"" : "";
        twins.report(
                device,
                ("{\"firmware\":{\"version\":\"" + version + "\",\"state\":\"idle\",\"result\":" + result
                                + ",\"rollout\":\"" + rollout + "\"" + error + "}}")
                        .getBytes(StandardCharsets.UTF_8));
    }

    /** @return the twin's reported version after the report */
    private long reportState(String device, String state, String rollout) {
        return twins.report(
                device,
                ("{\"firmware\":{\"version\":\"1.0\",\"state\":\"" + state + "\",\"result\":0,\"rollout\":\"" + rollout
                                + "\"}}")
                        .getBytes(StandardCharsets.UTF_8));
    }

    private static JsonPath view(String id) {
        return givenAdmin()
                .get("/api/v1/rollouts/" + id)
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
    }

    private long transitions(String id) {
        return count("SELECT count(*) FROM events WHERE kind = 'rollout.transition' AND payload->>'rollout' = ?", id);
    }

    private long count(String sql, String... parameters) {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                ps.setString(i + 1, parameters[i]);
            }
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String givenFleetLabel() {
        return "f-" + UUID.randomUUID().toString().substring(0, 8);
    }

    private static List<String> givenDevices(String label, int count) {
        return IntStream.range(0, count)
                .mapToObj(i -> givenDevice(label + "-" + i, label))
                .toList();
    }

    private static String givenDevice(String id, String label) {
        givenAdmin()
                .body("{\"id\":\"" + id + "\",\"type\":\"sensor\",\"labels\":{\"fleet\":\"" + label + "\"}}")
                .post("/api/v1/devices")
                .then()
                .statusCode(201);
        return id;
    }

    private static String givenArtifact() {
        return OtaApi.givenArtifact("fw-", new byte[] {1, 2, 3, 4, 5});
    }

    private static RequestSpecification givenAdmin() {
        return OtaApi.givenAdmin();
    }
}
