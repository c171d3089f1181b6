package dev.mecgw.ran.presence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mecgw.ran.callback.InboxHttpServer;
import dev.mecgw.ran.event.RecordingEventSink;
import dev.mecgw.ran.identity.InMemorySimRegistry;
import dev.mecgw.ran.identity.RegisteredDevice;
import dev.mecgw.ran.identity.Snssai;
import dev.mecgw.ran.nef.MonitoringNotification;
import dev.mecgw.ran.nef.MonitoringSubscriptionRequest;
import dev.mecgw.ran.nef.MonitoringType;
import dev.mecgw.ran.nef.NefApi;
import dev.mecgw.ran.nef.NefMonitoringEventClient;
import dev.mecgw.ran.simulator.NetworkSimulator;
import dev.mecgw.ran.simulator.SimulatedUe;
import dev.mecgw.ran.transport.JdkRestTransport;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Scenario tests of presence fused with the network (issue 7): the simulated NEF notifies our callback
 * endpoint over HTTP, and the device's presence follows.
 */
class NetworkPresenceTest {

    private static final String GROUP = "site@site.example";

    /**
     * A bound for conditions that normally hold within milliseconds (the NEF's report is pushed to our callback);
     * generous for a loaded machine: the tests show what moves presence, not how fast (issue 13 item 5).
     */
    private static final Duration AWAIT = Duration.ofSeconds(30);

    private NetworkSimulator simulator;
    private InboxHttpServer callbacks;
    private final InMemorySimRegistry registry = new InMemorySimRegistry()
            .with(new RegisteredDevice("cam-1", "camera", "extid-cam-1@site.example", new Snssai(1, null)));
    private final RecordingEventSink events = new RecordingEventSink();
    private NetworkPresence presence;

    @BeforeEach
    void givenTheSiteSubscribedToMonitoringEvents() {
        simulator = NetworkSimulator.startLocal();
        callbacks = new InboxHttpServer();
        presence = new NetworkPresence(registry, registry, events);
        NefMonitoringEventClient client = new NefMonitoringEventClient(
                new JdkRestTransport(new ObjectMapper(), Duration.ofSeconds(5), Optional.empty()),
                new NefApi(simulator.baseUri(), "mecgw"));
        for (MonitoringType type : new MonitoringType[] {
            MonitoringType.LOSS_OF_CONNECTIVITY, MonitoringType.UE_REACHABILITY, MonitoringType.LOCATION_REPORTING
        }) {
            client.subscribe(new MonitoringSubscriptionRequest(
                            type,
                            null,
                            GROUP,
                            callbacks
                                    .inbox()
                                    .newDestination(body ->
                                            presence.onMonitoring(MonitoringNotification.parse(body, Instant.now()))),
                            Instant.now().plus(Duration.ofHours(1))))
                    .join();
        }
        simulator.attach(new SimulatedUe("10.45.0.2", "cam-1@site.example", GROUP, 1, null, "000000001", true));
        await().atMost(AWAIT)
                .until(() -> presence.state("cam-1")
                        .map(s -> Boolean.TRUE.equals(s.reachable()) && s.cellId() != null)
                        .orElse(false));
    }

    @Test
    void shouldMarkTheDeviceOfflineWhenTheNetworkReportsLossOfConnectivity() {
        // given cam-1 attached and reachable
        assertThat(registry.offlineSince("cam-1")).isEmpty();
        // when its UE drops off the network
        simulator.loseConnectivity("10.45.0.2");
        // then the device is offline on the network's word alone (no MQTT keep-alive runs here), with an event row
        await().atMost(AWAIT).until(() -> registry.offlineSince("cam-1").isPresent());
        assertThat(presence.state("cam-1")).hasValueSatisfying(state -> {
            assertThat(state.reachable()).isFalse();
            assertThat(state.lossOfConnectReason()).isNotNull();
        });
        await().atMost(AWAIT).until(() -> events.kinds().contains("ran.presence.loss-of-connectivity"));
    }

    @Test
    void shouldKeepCellAndReachabilityWhenTheNetworkReportsThem() {
        // when cam-1 is handed over, loses the network and comes back
        simulator.moveToCell("10.45.0.2", "000000002");
        simulator.loseConnectivity("10.45.0.2");
        simulator.regainConnectivity("10.45.0.2");
        // then its network state shows the new cell and that it is reachable again
        await().atMost(AWAIT)
                .untilAsserted(() -> assertThat(presence.state("cam-1")).hasValueSatisfying(state -> {
                    assertThat(state.cellId()).isEqualTo("000000002");
                    assertThat(state.trackingAreaId()).isEqualTo("000001");
                    assertThat(state.reachable()).isTrue();
                }));
        assertThat(events.kinds())
                .containsSubsequence(
                        "ran.presence.reachable", "ran.presence.loss-of-connectivity", "ran.presence.reachable");
    }

    @Test
    void shouldIgnoreReportsWhenTheUeIsNotARegisteredDevice() {
        // when a UE unknown to the registry attaches and drops
        simulator.attach(new SimulatedUe("10.45.0.9", "visitor@site.example", GROUP, 1, null, "000000001", true));
        simulator.loseConnectivity("10.45.0.9");
        simulator.loseConnectivity("10.45.0.2");
        // then only the registered device's presence changed
        await().atMost(AWAIT).until(() -> registry.offlineSince("cam-1").isPresent());
        assertThat(registry.offlineSince("visitor")).isEmpty();
        assertThat(events.events()).allMatch(e -> e.deviceId().equals("cam-1"));
    }

    @AfterEach
    void stop() {
        simulator.close();
        callbacks.close();
    }
}
