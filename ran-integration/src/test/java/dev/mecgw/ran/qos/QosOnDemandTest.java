package dev.mecgw.ran.qos;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mecgw.ran.callback.InboxHttpServer;
import dev.mecgw.ran.event.RecordingEventSink;
import dev.mecgw.ran.nef.NefApi;
import dev.mecgw.ran.nef.NefAsSessionWithQosClient;
import dev.mecgw.ran.simulator.NetworkSimulator;
import dev.mecgw.ran.simulator.SimulatedUe;
import dev.mecgw.ran.transport.JdkRestTransport;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Scenario tests of the QoS session lifecycle against the simulated NEF (issue 7). */
class QosOnDemandTest {

    /** A bound for conditions that normally hold within milliseconds; generous for a loaded machine. */
    private static final Duration AWAIT = Duration.ofSeconds(30);

    private static final List<String> FLOWS = List.of("permit out 17 from 192.0.2.10 to 10.45.0.2");
    private final RecordingEventSink events = new RecordingEventSink();
    private final ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(2);
    private final HeldTimers timers = new HeldTimers();
    private final HeldTimers.Moved clock = new HeldTimers.Moved();
    private NetworkSimulator simulator;
    private InboxHttpServer callbacks;

    @BeforeEach
    void givenACameraAttached() {
        simulator = NetworkSimulator.startLocal();
        callbacks = new InboxHttpServer();
        simulator.attach(new SimulatedUe("10.45.0.2", "cam-1@site.example", null, 1, null, "000000001", true));
    }

    @Test
    void shouldGrantAndThenReleaseWhenTheDurationElapses() {
        // given QoS on demand against the NEF, on a clock the test moves
        QosOnDemand qos = givenQosOnDemandOnHeldTimers();
        // when a rule asks for video QoS for 400 ms
        QosStatus first = qos.request(demand(Duration.ofMillis(400)));
        // then the session is granted and held
        assertThat(first.state()).isEqualTo(QosStatus.State.REQUESTED);
        await().atMost(AWAIT).until(() -> state(qos) == QosStatus.State.ACTIVE);
        assertThat(simulator.qosSessionCount()).isEqualTo(1);
        // and released once the 400 ms have passed, with events for both
        clock.advance(Duration.ofMillis(400));
        timers.fire();
        await().atMost(AWAIT).until(() -> state(qos) == QosStatus.State.RELEASED);
        await().atMost(AWAIT).until(() -> simulator.qosSessionCount() == 0);
        await().atMost(AWAIT).until(() -> events.kinds().equals(List.of("ran.qos.granted", "ran.qos.released")));
    }

    @Test
    void shouldRefuseWithoutRetryingWhenTheNetworkRefusesTheQos() {
        // given the PCF does not authorise the profile
        simulator.refuseQos("qos-video");
        QosOnDemand qos = givenQosOnDemand(simulator.baseUri(), 5);
        // when it is asked for
        qos.request(demand(Duration.ofSeconds(30)));
        // then the refusal is visible after one attempt, with the network's cause, and recorded
        await().atMost(AWAIT).until(() -> state(qos) == QosStatus.State.REFUSED);
        assertThat(qos.status("cam-1")).hasValueSatisfying(status -> {
            assertThat(status.attempts()).isEqualTo(1);
            assertThat(status.lastError()).contains("403").contains("REQUEST_NOT_AUTHORIZED");
        });
        await().atMost(AWAIT).until(() -> events.kinds().equals(List.of("ran.qos.refused")));
        assertThat(simulator.qosSessionCount()).isZero();
    }

    @Test
    void shouldRetryWithBackoffWhenTheNetworkIsTemporarilyUnavailable() {
        // given the PCF answers 503 twice
        simulator.failNextQosRequests(2);
        QosOnDemand qos = givenQosOnDemand(simulator.baseUri(), 4);
        // when QoS is asked for
        qos.request(demand(Duration.ofSeconds(30)));
        // then the third attempt gets it
        await().atMost(AWAIT).until(() -> state(qos) == QosStatus.State.ACTIVE);
        assertThat(qos.status("cam-1").orElseThrow().attempts()).isEqualTo(3);
        qos.close();
    }

    @Test
    void shouldFailVisiblyWhenAttemptsAreExhausted() {
        // given a PCF that stays unavailable
        simulator.failNextQosRequests(100);
        QosOnDemand qos = givenQosOnDemand(simulator.baseUri(), 3);
        // when QoS is asked for / then it fails after three attempts, recorded
        qos.request(demand(Duration.ofSeconds(30)));
        await().atMost(AWAIT).until(() -> state(qos) == QosStatus.State.FAILED);
        assertThat(qos.status("cam-1").orElseThrow().attempts()).isEqualTo(3);
        await().atMost(AWAIT).until(() -> events.kinds().equals(List.of("ran.qos.failed")));
    }

    @Test
    void shouldReturnAtOnceWhenTheNefIsUnreachable() {
        // given a NEF address where nothing listens, and a scheduler held busy so that no attempt can run yet
        URI closed = simulator.baseUri();
        simulator.close();
        CountDownLatch gate = new CountDownLatch(1);
        ScheduledExecutorService held = Executors.newSingleThreadScheduledExecutor();
        held.execute(() -> awaitQuietly(gate));
        try {
            QosOnDemand qos = givenQosOnDemand(closed, 2, held);
            // when QoS is asked for
            QosStatus status = qos.request(demand(Duration.ofSeconds(30)));
            // then the caller (ingest) has its answer before any network attempt could start
            assertThat(status.state()).isEqualTo(QosStatus.State.REQUESTED);
            assertThat(qos.status("cam-1").orElseThrow().attempts()).isZero();
            // and the failure shows once the attempts run
            gate.countDown();
            await().atMost(AWAIT).until(() -> state(qos) == QosStatus.State.FAILED);
            assertThat(qos.status("cam-1").orElseThrow().lastError()).contains("failed");
        } finally {
            gate.countDown();
            held.shutdownNow();
        }
    }

    @Test
    void shouldReleaseWhenTheNetworkTerminatesTheSession() {
        // given an active session
        QosOnDemand qos = givenQosOnDemand(simulator.baseUri(), 3);
        qos.request(demand(Duration.ofSeconds(30)));
        await().atMost(AWAIT).until(() -> state(qos) == QosStatus.State.ACTIVE);
        // when the UE loses connectivity and the NEF reports SESSION_TERMINATION
        simulator.loseConnectivity("10.45.0.2");
        // then the demand is released on our side too
        await().atMost(AWAIT).until(() -> state(qos) == QosStatus.State.RELEASED);
        await().atMost(AWAIT).until(() -> events.kinds().contains("ran.qos.released"));
        assertThat(events.events().get(events.events().size() - 1).payload().get("detail"))
                .isEqualTo("network: SESSION_TERMINATION");
    }

    @Test
    void shouldKeepOneSessionAndMoveItsEndWhenTheRuleFiresAgain() {
        // given a session kept by a rule for 2 s, on a clock the test moves
        QosOnDemand qos = givenQosOnDemandOnHeldTimers();
        qos.keep(demand(Duration.ofSeconds(2)));
        await().atMost(AWAIT).until(() -> state(qos) == QosStatus.State.ACTIVE);
        Instant firstEnd = qos.status("cam-1").orElseThrow().expiresAt();
        // when the rule fires again half a second later
        clock.advance(Duration.ofMillis(500));
        QosStatus kept = qos.keep(demand(Duration.ofSeconds(2)));
        // then the same session is kept past its first end
        assertThat(kept.state()).isEqualTo(QosStatus.State.ACTIVE);
        assertThat(kept.expiresAt()).isEqualTo(firstEnd.plusMillis(500));
        clock.moveTo(firstEnd.plusMillis(200));
        timers.fire();
        assertThat(state(qos)).isEqualTo(QosStatus.State.ACTIVE);
        assertThat(simulator.qosSessionCount("10.45.0.2")).isEqualTo(1);
        // and released 2 s after the last firing
        clock.moveTo(kept.expiresAt());
        timers.fire();
        await().atMost(AWAIT).until(() -> state(qos) == QosStatus.State.RELEASED);
        await().atMost(AWAIT).until(() -> simulator.qosSessionCount() == 0);
        await().atMost(AWAIT).until(() -> events.kinds().equals(List.of("ran.qos.granted", "ran.qos.released")));
    }

    @Test
    void shouldMoveTheSessionWhenTheRuleFiresForANewUeAddress() {
        // given a session kept for the camera at 10.45.0.2
        QosOnDemand qos = givenQosOnDemand(simulator.baseUri(), 3);
        qos.keep(demand(Duration.ofSeconds(30)));
        await().atMost(AWAIT).until(() -> state(qos) == QosStatus.State.ACTIVE);
        // when the camera comes back at 10.45.0.3 and the rule fires again
        simulator.attach(new SimulatedUe("10.45.0.3", "cam-1@site.example", null, 1, null, "000000001", true));
        qos.keep(new QosDemand(
                "cam-1",
                "10.45.0.3",
                List.of("permit out 17 from 192.0.2.10 to 10.45.0.3"),
                "qos-video",
                Duration.ofSeconds(30)));
        // then the old session is given back and the new address has one
        await().atMost(AWAIT)
                .until(() ->
                        simulator.qosSessionCount("10.45.0.3") == 1 && simulator.qosSessionCount("10.45.0.2") == 0);
        assertThat(state(qos)).isEqualTo(QosStatus.State.ACTIVE);
    }

    @Test
    void shouldNotAskAgainWhenTheRuleFiresAfterARefusal() {
        // given the PCF refused the profile to a rule
        simulator.refuseQos("qos-video");
        QosOnDemand qos = givenQosOnDemand(simulator.baseUri(), 3);
        qos.keep(demand(Duration.ofSeconds(30)));
        await().atMost(AWAIT).until(() -> state(qos) == QosStatus.State.REFUSED);
        // when the rule fires again within the demand's time
        QosStatus again = qos.keep(demand(Duration.ofSeconds(30)));
        // then the refusal stands, and the network is not asked once per event
        assertThat(again.state()).isEqualTo(QosStatus.State.REFUSED);
        assertThat(again.attempts()).isEqualTo(1);
        await().atMost(AWAIT).until(() -> events.kinds().equals(List.of("ran.qos.refused")));
    }

    private QosOnDemand givenQosOnDemand(URI nefRoot, int maxAttempts) {
        return givenQosOnDemand(nefRoot, maxAttempts, scheduler);
    }

    /** Timers wait for {@link HeldTimers#fire()} and time is {@link #clock}: the test decides when a session ends. */
    private QosOnDemand givenQosOnDemandOnHeldTimers() {
        return givenQosOnDemand(simulator.baseUri(), 3, timers, clock);
    }

    private QosOnDemand givenQosOnDemand(URI nefRoot, int maxAttempts, ScheduledExecutorService scheduler) {
        return givenQosOnDemand(nefRoot, maxAttempts, scheduler, Clock.systemUTC());
    }

    private QosOnDemand givenQosOnDemand(
            URI nefRoot, int maxAttempts, ScheduledExecutorService scheduler, Clock clock) {
        NefAsSessionWithQosClient client = new NefAsSessionWithQosClient(
                new JdkRestTransport(new ObjectMapper(), Duration.ofSeconds(10), Optional.empty()),
                new NefApi(nefRoot, "mecgw"));
        QosOnDemand[] qos = new QosOnDemand[1];
        qos[0] = new QosOnDemand(
                client,
                scheduler,
                events,
                new QosPolicy(maxAttempts, Duration.ofMillis(50), Duration.ofMillis(200), Duration.ofMinutes(10)),
                () -> callbacks.inbox().newDestination(body -> qos[0].onUserPlaneNotification(body)),
                clock);
        return qos[0];
    }

    private static void awaitQuietly(CountDownLatch gate) {
        try {
            gate.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static QosDemand demand(Duration duration) {
        return new QosDemand("cam-1", "10.45.0.2", FLOWS, "qos-video", duration);
    }

    private static QosStatus.State state(QosOnDemand qos) {
        return qos.status("cam-1").map(QosStatus::state).orElse(null);
    }

    @AfterEach
    void stop() {
        simulator.close();
        callbacks.close();
        scheduler.shutdownNow();
        timers.shutdownNow();
    }
}
