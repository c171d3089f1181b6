package dev.mecgw.app.ran;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.awaitility.Awaitility.await;

import dev.mecgw.app.events.EventLog;
import dev.mecgw.app.ran.app.MovableClock;
import dev.mecgw.app.registry.DeviceRegistry;
import dev.mecgw.app.registry.DeviceRequest;
import dev.mecgw.app.registry.Sim;
import dev.mecgw.app.registry.Slice;
import dev.mecgw.inference.event.InferenceEvent;
import dev.mecgw.inference.event.InferenceEventSink;
import dev.mecgw.ran.qos.QosStatus;
import dev.mecgw.ran.simulator.NetworkSimulator;
import dev.mecgw.ran.simulator.SimExchange;
import dev.mecgw.ran.simulator.SimulatedUe;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.net.InetAddress;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/** QoS on demand by rule (issue 7): events recorded for cameras hold QoS in the simulated NEF. */
@QuarkusTest
@TestProfile(RanSimulatorProfile.class)
class QosRuleTriggerTest {

    private static final String GROUP = "site@site.example";
    /** The embedded database outlives a run (target/test-data); ids are unique per run. */
    private static final String RUN = Long.toString(System.currentTimeMillis() % 1_000_000_000L, 36);
    /** Longest wait for an awaited outcome: a bound for a loaded machine, not a timing check. */
    private static final Duration BOUND = Duration.ofSeconds(30);
    /** How long the profile's camera-video rule keeps QoS after a detection. */
    private static final Duration RULE_DURATION = Duration.ofSeconds(2);

    @Inject
    RanNetwork ran;

    @Inject
    NetworkAdmission admission;

    @Inject
    DeviceRegistry registry;

    @Inject
    EventLog events;

    @Inject
    InferenceEventSink inferenceEvents;

    @Inject
    DataSource dataSource;

    @Inject
    MeterRegistry meters;

    @Inject
    MovableClock clock;

    @Test
    void shouldHoldQosForTheCameraWithoutBlockingTheRecorderAndReleaseItAfterTheDuration() throws Exception {
        // given a camera admitted from its UE address, and a NEF that holds its answer to the QoS request
        String camera = "cam-40-" + RUN;
        givenAnAdmittedCamera(camera, "10.45.0.40");
        CountDownLatch nefAnswers = new CountDownLatch(1);
        AtomicBoolean nefAsked = givenTheNefHoldsQosRequestsOf("10.45.0.40", nefAnswers);
        double demandedBefore = demanded();
        try {
            // when the vision pipeline records a detection for it, and another while the NEF has not answered
            CompletableFuture<Void> first = recordedDetection(camera);
            await().atMost(BOUND).untilTrue(nefAsked);
            Instant lastDetection = clock.instant();
            CompletableFuture<Void> second = recordedDetection(camera);
            // then the recorder returned both times although the NEF holds its answer until the test lets it go
            await().atMost(BOUND).until(() -> first.isDone() && second.isDone());
            first.join();
            second.join();
            await().atMost(BOUND).until(() -> demanded() == demandedBefore + 2);
            // and the session is asked to last the rule's 2 s from the last detection
            assertThat(ran.qos().orElseThrow().status(camera).orElseThrow().expiresAt())
                    .isBetween(
                            lastDetection.plus(RULE_DURATION), clock.instant().plus(RULE_DURATION));
            // when those 2 s have passed (on the gateway's clock) by the time the NEF grants the session
            clock.advance(RULE_DURATION);
        } finally {
            nefAnswers.countDown();
        }
        // then it was granted with the rule's QoS reference, then released as its time was up: once each
        await().atMost(BOUND)
                .until(() -> eventKinds(camera)
                        .containsAll(List.of("inference.detection", "ran.qos.granted", "ran.qos.released")));
        await().atMost(BOUND).until(() -> simulator().qosSessionCount("10.45.0.40") == 0);
        QosStatus status = ran.qos().orElseThrow().status(camera).orElseThrow();
        assertThat(status.state()).isEqualTo(QosStatus.State.RELEASED);
        assertThat(status.qosReference()).isEqualTo(RanSimulatorProfile.QOS_RULE_VIDEO);
        assertThat(eventKinds(camera)).containsOnlyOnce("ran.qos.granted", "ran.qos.released");
    }

    @Test
    void shouldRecordTheRefusalWithoutFailingTheRecorderWhenTheNetworkRefuses() {
        // given a camera known by its ue-ipv4 label, and a PCF that refuses the rule's profile
        String camera = "cam-41-" + RUN;
        registry.create(new DeviceRequest(camera, "camera", Map.of("ue-ipv4", "10.45.0.41"), null, null, null));
        simulator()
                .attach(new SimulatedUe("10.45.0.41", camera + "@site.example", GROUP, 1, "000001", "000000001", true));
        simulator().refuseQos(RanSimulatorProfile.QOS_RULE_UHD);
        double refusalsBefore = refusals();
        // when the vision pipeline's own writer stores a classification / then it is not bothered
        assertThatCode(() -> inferenceEvents.publish(
                        List.of(new InferenceEvent(camera, "inference.classification", Map.of("label", "truck")))))
                .doesNotThrowAnyException();
        // and the refusal is visible as an event row, a status and a metric, with no session
        await().atMost(BOUND).until(() -> eventKinds(camera).contains("ran.qos.refused"));
        assertThat(qosState(camera)).isEqualTo(QosStatus.State.REFUSED);
        assertThat(refusals()).isGreaterThan(refusalsBefore);
        assertThat(simulator().qosSessionCount("10.45.0.41")).isZero();
    }

    @Test
    void shouldLeaveOtherDeviceTypesAloneWhenTheRuleNamesCameras() {
        // given an admitted sensor
        String sensor = "sen-42-" + RUN;
        registry.create(new DeviceRequest(sensor, "sensor", Map.of("ue-ipv4", "10.45.0.42"), null, null, null));
        // when a detection is recorded for it, then a camera's one
        events.record(sensor, "inference.detection", "info", Map.of("label", "person"));
        String camera = "cam-43-" + RUN;
        registry.create(new DeviceRequest(camera, "camera", Map.of(), null, null, null));
        events.record(camera, "inference.detection", "info", Map.of("label", "person"));
        // then the camera without a UE address is reported, and the sensor got no QoS
        await().atMost(BOUND).until(() -> eventKinds(camera).contains("ran.qos.no-ue-address"));
        assertThat(ran.qos().orElseThrow().status(sensor)).isEmpty();
    }

    private void givenAnAdmittedCamera(String id, String ueIpv4) throws Exception {
        registry.create(new DeviceRequest(
                id, "camera", Map.of(), new Sim(null, "extid-" + id + "@site.example"), new Slice(1, "000001"), null));
        simulator().attach(new SimulatedUe(ueIpv4, id + "@site.example", GROUP, 1, "000001", "000000001", true));
        assertThat(admission
                        .admit(InetAddress.getByName(ueIpv4), id)
                        .toCompletableFuture()
                        .get(10, TimeUnit.SECONDS))
                .isEmpty();
    }

    /**
     * Makes the simulated NEF hold its answer to the first QoS request for {@code ueIpv4} until {@code answers} is
     * counted down: longer than {@link #BOUND}, so that a recorder waiting for the NEF fails the test.
     */
    private AtomicBoolean givenTheNefHoldsQosRequestsOf(String ueIpv4, CountDownLatch answers) {
        AtomicBoolean asked = new AtomicBoolean();
        simulator().onExchange(exchange -> {
            if (exchange.kind() == SimExchange.Kind.REQUEST
                    && exchange.uri().contains("as-session-with-qos")
                    && exchange.body() != null
                    && ueIpv4.equals(exchange.body().path("ueIpv4Addr").asText())
                    && asked.compareAndSet(false, true)) {
                try {
                    answers.await(BOUND.multipliedBy(2).toSeconds(), TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        });
        return asked;
    }

    /** Records a detection for {@code camera} on another thread, as the vision pipeline does. */
    private CompletableFuture<Void> recordedDetection(String camera) {
        return CompletableFuture.runAsync(
                () -> events.record(camera, "inference.detection", "info", Map.of("label", "person")));
    }

    /** How often the camera-video rule asked for QoS so far (counted after {@code QosOnDemand#keep} returned). */
    private double demanded() {
        return meters
                .find("mecgw.ran.qos.rule.triggers")
                .tag("rule", "camera-video")
                .tag("outcome", "demanded")
                .counters()
                .stream()
                .mapToDouble(counter -> counter.count())
                .sum();
    }

    private NetworkSimulator simulator() {
        return ran.simulator().orElseThrow();
    }

    private QosStatus.State qosState(String device) {
        return ran.qos().orElseThrow().status(device).map(QosStatus::state).orElse(null);
    }

    private double refusals() {
        return meters.find("mecgw.ran.events").tag("kind", "ran.qos.refused").counters().stream()
                .mapToDouble(counter -> counter.count())
                .sum();
    }

    private List<String> eventKinds(String deviceId) {
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
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
