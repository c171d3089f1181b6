package dev.mecgw.app.coap;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mecgw.app.acl.AccessPolicy;
import dev.mecgw.app.acl.Principal;
import dev.mecgw.app.ran.NetworkAdmission;
import java.lang.reflect.Proxy;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.eclipse.californium.core.coap.CoAP.ResponseCode;
import org.eclipse.californium.core.coap.Request;
import org.eclipse.californium.core.coap.Response;
import org.eclipse.californium.core.network.Endpoint;
import org.eclipse.californium.core.network.Exchange;
import org.eclipse.californium.elements.AddressEndpointContext;
import org.junit.jupiter.api.Test;

class CoapNetworkGateTest {

    private final List<CompletableFuture<Optional<String>>> checks = new ArrayList<>();
    private final List<Response> responses = new ArrayList<>();
    private final List<Exchange> redelivered = new ArrayList<>();
    private final NetworkAdmission admission = (peer, device) -> {
        CompletableFuture<Optional<String>> check = new CompletableFuture<>();
        checks.add(check);
        return check;
    };

    @Test
    void shouldHoldRequestsUntilAdmittedThenPassFollowingOnesWithoutAnotherCheck() {
        // given
        CoapNetworkGate gate = givenAGate(unconfined());
        Exchange first = givenAnExchange(5683, "telemetry");
        Exchange second = givenAnExchange(5683, "telemetry");

        // when both arrive before the verdict
        boolean heldFirst = gate.intercept(first, "d1", true, redelivered::add);
        boolean heldSecond = gate.intercept(second, "d1", true, redelivered::add);

        // then one check runs and both wait
        assertThat(heldFirst).isTrue();
        assertThat(heldSecond).isTrue();
        assertThat(checks).hasSize(1);
        assertThat(redelivered).isEmpty();

        // when admitted / then both are delivered again and a later request passes at once
        checks.get(0).complete(Optional.empty());
        assertThat(redelivered).containsExactly(first, second);
        assertThat(gate.intercept(givenAnExchange(5683, "telemetry"), "d1", true, redelivered::add))
                .isFalse();
        assertThat(checks).hasSize(1);
        assertThat(responses).isEmpty();
    }

    @Test
    void shouldAnswerForbiddenWithReasonWhenNetworkRefusesAndCacheTheRefusal() {
        // given
        CoapNetworkGate gate = givenAGate(unconfined());
        gate.intercept(givenAnExchange(5683, "telemetry"), "d1", true, redelivered::add);

        // when
        checks.get(0).complete(Optional.of("SIM_MISMATCH"));
        boolean again = gate.intercept(givenAnExchange(5683, "telemetry"), "d1", true, redelivered::add);

        // then
        assertThat(again).isTrue();
        assertThat(checks).hasSize(1);
        assertThat(redelivered).isEmpty();
        assertThat(responses).hasSize(2).allSatisfy(response -> {
            assertThat(response.getCode()).isEqualTo(ResponseCode.FORBIDDEN);
            assertThat(response.getPayloadString()).contains("SIM_MISMATCH");
        });
    }

    @Test
    void shouldCheckAgainWhenPeerOrDeviceDiffers() {
        // given an admitted peer
        CoapNetworkGate gate = givenAGate(unconfined());
        gate.intercept(givenAnExchange(5683, "telemetry"), "d1", true, redelivered::add);
        checks.get(0).complete(Optional.empty());

        // when another port and another device arrive
        gate.intercept(givenAnExchange(5684, "telemetry"), "d1", true, redelivered::add);
        gate.intercept(givenAnExchange(5683, "telemetry"), "d2", true, redelivered::add);

        // then
        assertThat(checks).hasSize(3);
    }

    @Test
    void shouldDeliverAtOnceWhenVerdictIsImmediate() {
        // given an admission that answers synchronously (integration off, LAN address)
        CoapNetworkGate gate = new CoapNetworkGate(
                (peer, device) -> CompletableFuture.completedFuture(Optional.empty()),
                unconfined(),
                Duration.ofMinutes(1),
                16);

        // when / then
        assertThat(gate.intercept(givenAnExchange(5683, "telemetry"), "d1", true, redelivered::add))
                .isFalse();
        assertThat(redelivered).isEmpty();
    }

    @Test
    void shouldForbidResourceWhenConfinedDeviceLeavesItsScope() {
        // given a policy that confines d1 to its telemetry
        AccessPolicy policy = new AccessPolicy() {
            @Override
            public boolean mayPublish(Principal principal, String topic) {
                return true;
            }

            @Override
            public boolean maySubscribe(Principal principal, String filter) {
                return true;
            }

            @Override
            public boolean withinScope(Principal principal, String topic) {
                return topic.equals("devices/d1/telemetry");
            }

            @Override
            public boolean confined(Principal principal) {
                return true;
            }
        };
        CoapNetworkGate gate = new CoapNetworkGate(
                (peer, device) -> CompletableFuture.completedFuture(Optional.empty()),
                policy,
                Duration.ofMinutes(1),
                16);

        // when
        boolean telemetry = gate.intercept(givenAnExchange(5683, "telemetry", "d1"), "d1", false, redelivered::add);
        boolean frames = gate.intercept(givenAnExchange(5683, "frames"), "d1", true, redelivered::add);

        // then
        assertThat(telemetry).isFalse();
        assertThat(frames).isTrue();
        assertThat(responses)
                .singleElement()
                .satisfies(r -> assertThat(r.getCode()).isEqualTo(ResponseCode.FORBIDDEN));
    }

    @Test
    void shouldMapResourcesToTheirTopicsWhenPathIsDeviceScoped() {
        assertThat(CoapNetworkGate.topicOf(givenAnExchange(1, "telemetry", "d1"), "d1"))
                .isEqualTo("devices/d1/telemetry");
        assertThat(CoapNetworkGate.topicOf(givenAnExchange(1, "twin", "desired"), "d1"))
                .isEqualTo("devices/d1/twin/desired");
    }

    private CoapNetworkGate givenAGate(AccessPolicy policy) {
        return new CoapNetworkGate(admission, policy, Duration.ofMinutes(1), 16);
    }

    private static AccessPolicy unconfined() {
        return new AccessPolicy() {
            @Override
            public boolean mayPublish(Principal principal, String topic) {
                return true;
            }

            @Override
            public boolean maySubscribe(Principal principal, String filter) {
                return true;
            }
        };
    }

    private Exchange givenAnExchange(int port, String... path) {
        Request request = Request.newPost();
        request.getOptions().setUriPath(String.join("/", path));
        request.setSourceContext(
                new AddressEndpointContext(new InetSocketAddress(InetAddress.getLoopbackAddress(), port)));
        Exchange exchange = new Exchange(
                request, request.getSourceContext().getPeerAddress(), Exchange.Origin.REMOTE, Runnable::run);
        exchange.setEndpoint((Endpoint) Proxy.newProxyInstance(
                Endpoint.class.getClassLoader(), new Class<?>[] {Endpoint.class}, (proxy, method, args) -> {
                    if (method.getName().equals("sendResponse")) {
                        responses.add((Response) args[1]);
                    }
                    return null;
                }));
        return exchange;
    }
}
