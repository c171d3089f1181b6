package dev.mecgw.app.ran;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mecgw.ran.callback.CallbackInbox;
import dev.mecgw.ran.mec.MecPlatform;
import dev.mecgw.ran.simulator.NetworkSimulator;
import dev.mecgw.ran.simulator.SimExchange;
import dev.mecgw.ran.transport.JdkRestTransport;
import java.net.URI;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 13: the MEC handshake against the network simulator leaves no subscription (MEC 011 termination, MEC 012
 * cell change) or service behind.
 */
class MecHandshakeTest {

    private NetworkSimulator simulator;
    private final AtomicInteger rnisSubscribes = new AtomicInteger();

    @BeforeEach
    void startSimulator() {
        simulator = NetworkSimulator.startLocal();
        simulator.onExchange(exchange -> {
            if (exchange.kind() == SimExchange.Kind.REQUEST
                    && exchange.method().equals("POST")
                    && exchange.uri().contains("/rni/")) {
                rnisSubscribes.incrementAndGet();
            }
        });
    }

    @AfterEach
    void stopSimulator() {
        simulator.close();
    }

    @Test
    void shouldKeepOneCellSubscriptionPerDeviceWhenAdmittedAgain() {
        // Given a started handshake
        MecHandshake mec = givenAHandshake();

        // When one device is admitted three times from one address, and another once
        mec.watchCell("d1", "10.0.0.1");
        mec.watchCell("d1", "10.0.0.1");
        mec.watchCell("d1", "10.0.0.1");
        mec.watchCell("d2", "10.0.0.2");

        // Then the platform holds one subscription per device
        await().untilAsserted(
                        () -> assertThat(simulator.rnisSubscriptionCount()).isEqualTo(2));
        assertThat(rnisSubscribes).hasValue(2);
        mec.stop(Duration.ofSeconds(5));
    }

    @Test
    void shouldDeleteSubscriptionsAndDeregisterWhenStopped() {
        // Given a registered service and cell subscriptions, one of them replaced by a move to another address
        MecHandshake mec = givenAHandshake();
        await().untilAsserted(() -> {
            assertThat(simulator.mecServiceCount()).isEqualTo(1);
            assertThat(simulator.terminationSubscriptionCount()).isEqualTo(1);
        });
        mec.watchCell("d1", "10.0.0.1");
        mec.watchCell("d2", "10.0.0.2");
        await().untilAsserted(
                        () -> assertThat(simulator.rnisSubscriptionCount()).isEqualTo(2));
        mec.watchCell("d1", "10.0.0.3");

        // When the handshake stops
        mec.stop(Duration.ofSeconds(5));

        // Then the platform keeps nothing of this app instance
        await().untilAsserted(() -> {
            assertThat(simulator.rnisSubscriptionCount()).isZero();
            assertThat(simulator.mecServiceCount()).isZero();
            assertThat(simulator.terminationSubscriptionCount()).isZero();
        });
        assertThat(rnisSubscribes).hasValue(3);
    }

    private MecHandshake givenAHandshake() {
        JdkRestTransport http = new JdkRestTransport(new ObjectMapper(), Duration.ofSeconds(5), Optional.empty());
        CallbackInbox inbox = new CallbackInbox(URI.create("http://127.0.0.1:1/ran/callbacks/"));
        // No cell change is notified in these tests, so presence is never consulted.
        MecHandshake mec = new MecHandshake(http, new MecPlatform(simulator.baseUri(), "app-13"), inbox, null);
        mec.start(Optional.of(URI.create("http://127.0.0.1:1/api/v1")));
        return mec;
    }
}
