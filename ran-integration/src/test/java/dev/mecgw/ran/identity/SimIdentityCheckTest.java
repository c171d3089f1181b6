package dev.mecgw.ran.identity;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mecgw.ran.event.NetworkEvent;
import dev.mecgw.ran.event.RecordingEventSink;
import dev.mecgw.ran.nef.NefApi;
import dev.mecgw.ran.nef.NefUeIdClient;
import dev.mecgw.ran.simulator.NetworkSimulator;
import dev.mecgw.ran.simulator.SimulatedUe;
import dev.mecgw.ran.transport.JdkRestTransport;
import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ForkJoinPool;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Scenario tests of SIM identity checks against the simulated NEF (UEId) (issue 7). */
class SimIdentityCheckTest {

    private static final Snssai IOT = new Snssai(1, "000001");
    private static final Snssai VIDEO = new Snssai(2, "000002");
    private static NetworkSimulator simulator;
    private static UeIdentityResolver resolver;
    private final RecordingEventSink events = new RecordingEventSink();

    @BeforeAll
    static void givenASimulatedNetworkWithThreeUes() {
        simulator = NetworkSimulator.startLocal();
        simulator.attach(ue("10.45.0.2", "cam-1@site.example"));
        simulator.attach(ue("10.45.0.3", "new-sensor@site.example"));
        simulator.attach(ue("10.46.0.4", "stranger@site.example"));
        JdkRestTransport http = new JdkRestTransport(new ObjectMapper(), Duration.ofSeconds(5), Optional.empty());
        resolver = new NefUeIdClient(http, new NefApi(simulator.baseUri(), "mecgw"))::externalIdOf;
    }

    @Test
    void shouldOnboardZeroTouchWhenSimIsUnknownOnAZeroTouchSlice() {
        // given an IoT slice that onboards unknown SIMs as sensors, and an empty registry
        InMemorySimRegistry registry = new InMemorySimRegistry();
        // when the unknown SIM's UE connects without claiming an id
        IdentityDecision decision =
                givenACheck(registry).check(address("10.45.0.3"), null).join();
        // then it is onboarded with the slice's default type and a one-time secret, and an event is recorded
        assertThat(decision.outcome()).isEqualTo(IdentityDecision.Outcome.ONBOARDED);
        assertThat(decision.deviceId())
                .isEqualTo(onboardingId("extid-new-sensor@site.example"))
                .doesNotContain("new-sensor");
        assertThat(registry.findByGpsi("extid-new-sensor@site.example")).hasValueSatisfying(d -> {
            assertThat(d.type()).isEqualTo("sensor");
            assertThat(d.slice()).isEqualTo(IOT);
        });
        assertThat(decision.onboarded())
                .hasValueSatisfying(o -> assertThat(o.password()).isNotBlank());
        assertThat(decision.onboarded().get().toString()).doesNotContain("generated-secret");
        assertThat(events.kinds()).containsExactly("ran.identity.onboarded");
    }

    @Test
    void shouldRejectAndRecordEventWhenSimDoesNotMatchTheRegisteredSim() {
        // given cam-1's registered SIM is another one than the UE's
        InMemorySimRegistry registry = new InMemorySimRegistry()
                .with(new RegisteredDevice("cam-1", "camera", "extid-other@site.example", IOT));
        // when the UE connects claiming to be cam-1
        IdentityDecision decision =
                givenACheck(registry).check(address("10.45.0.2"), "cam-1").join();
        // then it is rejected and the attempt is on the audit trail with the UE address
        assertThat(decision.outcome()).isEqualTo(IdentityDecision.Outcome.REJECTED);
        assertThat(decision.reason()).isEqualTo("SIM_MISMATCH");
        assertThat(events.events()).singleElement().satisfies(event -> {
            assertThat(event.kind()).isEqualTo("ran.identity.sim-mismatch");
            assertThat(event.deviceId()).isEqualTo("cam-1");
            assertThat(event.payload())
                    .containsEntry("ueAddress", "10.45.0.2")
                    .containsEntry("gpsi", "extid-cam-1@site.example");
        });
    }

    @Test
    void shouldRejectWhenTheSimBelongsToAnotherDevice() {
        // given the UE's SIM is registered to cam-1
        InMemorySimRegistry registry = new InMemorySimRegistry()
                .with(new RegisteredDevice("cam-1", "camera", "extid-cam-1@site.example", IOT));
        // when that UE presents itself as cam-2
        IdentityDecision decision =
                givenACheck(registry).check(address("10.45.0.2"), "cam-2").join();
        // then it is rejected as a mismatch
        assertThat(decision.reason()).isEqualTo("SIM_MISMATCH");
        assertThat(events.kinds()).containsExactly("ran.identity.sim-mismatch");
    }

    @Test
    void shouldAcceptWhenTheSimMatchesAndTheTypeIsAllowed() {
        // given cam-1 registered with the UE's SIM
        InMemorySimRegistry registry = new InMemorySimRegistry()
                .with(new RegisteredDevice("cam-1", "camera", "extid-cam-1@site.example", IOT));
        // when it connects
        IdentityDecision decision =
                givenACheck(registry).check(address("10.45.0.2"), "cam-1").join();
        // then it is accepted under the IoT slice policy, without events
        assertThat(decision.outcome()).isEqualTo(IdentityDecision.Outcome.ACCEPTED);
        assertThat(decision.policy().slice()).isEqualTo(IOT);
        assertThat(events.events()).isEmpty();
    }

    @Test
    void shouldRejectWhenTheDeviceTypeIsNotAllowedOnTheSlice() {
        // given a registered gateway device, a type the IoT slice does not allow
        InMemorySimRegistry registry = new InMemorySimRegistry()
                .with(new RegisteredDevice("cam-1", "router", "extid-cam-1@site.example", IOT));
        // when it connects / then it is rejected
        assertThat(givenACheck(registry)
                        .check(address("10.45.0.2"), null)
                        .join()
                        .reason())
                .isEqualTo("TYPE_NOT_ALLOWED_ON_SLICE");
    }

    @Test
    void shouldRejectUnknownSimWhenTheSliceIsNotZeroTouch() {
        // given the video slice (10.46/16) does not onboard
        InMemorySimRegistry registry = new InMemorySimRegistry();
        // when an unknown SIM connects on it
        IdentityDecision decision =
                givenACheck(registry).check(address("10.46.0.4"), "stranger").join();
        // then it is rejected and nothing is created
        assertThat(decision.reason()).isEqualTo("UNKNOWN_SIM");
        assertThat(registry.find("stranger")).isEmpty();
        assertThat(events.kinds()).containsExactly("ran.identity.rejected");
    }

    @Test
    void shouldRejectWhenTheNetworkKnowsNoUeWithTheAddress() {
        // when an address of the pool that no UE holds connects / then it is rejected
        assertThat(givenACheck(new InMemorySimRegistry())
                        .check(address("10.45.9.9"), null)
                        .join()
                        .reason())
                .isEqualTo("UE_UNKNOWN_TO_NETWORK");
    }

    @Test
    void shouldNotApplyWhenTheAddressIsOnNoManagedSlice() {
        // when a LAN device connects / then the check leaves it to normal authentication, without asking the NEF
        SimIdentityCheck check = new SimIdentityCheck(
                policies(),
                ue -> {
                    throw new AssertionError("must not resolve");
                },
                new InMemorySimRegistry(),
                events,
                ForkJoinPool.commonPool(),
                Clock.systemUTC(),
                SimIdentityCheckTest::onboardingId);
        assertThat(check.check(address("192.168.1.20"), "lan-1").join().outcome())
                .isEqualTo(IdentityDecision.Outcome.NOT_APPLICABLE);
    }

    @Test
    void shouldRejectADeviceWithASimFromOutsideThePoolsWhenNetworkIdentityIsRequired() {
        // given a registered camera with a SIM, a LAN sensor without one, and require-network-identity on, but off for
        // devices registered to the video slice (issue 15.10)
        InMemorySimRegistry registry = new InMemorySimRegistry()
                .with(new RegisteredDevice("cam-7", "camera", "extid-cam-7@site.example", null))
                .with(new RegisteredDevice("cam-8", "camera", "extid-cam-8@site.example", VIDEO))
                .with(new RegisteredDevice("lan-2", "sensor", null, null));
        SimIdentityCheck check = givenACheck(registry)
                .requiring(new NetworkIdentityRequirement(true, java.util.Map.of(VIDEO, false), Set.of()));

        // when each connects from an address in no pool
        IdentityDecision camera = check.check(address("192.168.1.21"), "cam-7").join();

        // then the camera is refused and recorded; the others are left to normal authentication
        assertThat(camera.outcome()).isEqualTo(IdentityDecision.Outcome.REJECTED);
        assertThat(camera.reason()).isEqualTo(SimIdentityCheck.NETWORK_IDENTITY_REQUIRED);
        assertThat(events.events()).extracting(NetworkEvent::kind).containsExactly("ran.identity.rejected");
        assertThat(check.check(address("192.168.1.22"), "cam-8").join().outcome())
                .isEqualTo(IdentityDecision.Outcome.NOT_APPLICABLE);
        assertThat(check.check(address("192.168.1.23"), "lan-2").join().outcome())
                .isEqualTo(IdentityDecision.Outcome.NOT_APPLICABLE);
    }

    @Test
    void shouldFailClosedWhenTheNetworkCannotBeAsked() {
        // given a NEF that cannot be reached
        SimIdentityCheck check = new SimIdentityCheck(
                policies(),
                ue -> CompletableFuture.failedFuture(new IllegalStateException("connection refused")),
                new InMemorySimRegistry(),
                events,
                ForkJoinPool.commonPool(),
                Clock.systemUTC(),
                SimIdentityCheckTest::onboardingId);
        // when a UE connects / then it is rejected as unverifiable and recorded
        assertThat(check.check(address("10.45.0.2"), "cam-1").join().reason()).isEqualTo("IDENTITY_UNVERIFIABLE");
        assertThat(events.events()).extracting(NetworkEvent::kind).containsExactly("ran.identity.rejected");
    }

    private SimIdentityCheck givenACheck(InMemorySimRegistry registry) {
        return new SimIdentityCheck(
                policies(),
                resolver,
                registry,
                events,
                ForkJoinPool.commonPool(),
                Clock.systemUTC(),
                SimIdentityCheckTest::onboardingId);
    }

    // stands for the gateway's keyed hash: anything that does not carry the external id
    private static String onboardingId(String gpsi) {
        return "sim-" + Integer.toHexString(gpsi.hashCode());
    }

    private static List<SlicePolicy> policies() {
        return List.of(
                new SlicePolicy(
                        IOT,
                        List.of(UeSubnet.parse("10.45.0.0/16")),
                        Set.of("sensor", "camera"),
                        true,
                        "sensor",
                        List.of("telemetry/#")),
                new SlicePolicy(
                        VIDEO, List.of(UeSubnet.parse("10.46.0.0/16")), Set.of("camera"), false, null, List.of()));
    }

    private static SimulatedUe ue(String ip, String externalId) {
        return new SimulatedUe(ip, externalId, null, 1, "000001", "000000001", true);
    }

    static InetAddress address(String ip) {
        try {
            return InetAddress.getByName(ip);
        } catch (java.net.UnknownHostException e) {
            throw new IllegalArgumentException(e);
        }
    }

    @AfterAll
    static void stop() {
        simulator.close();
    }
}
