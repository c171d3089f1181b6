package dev.mecgw.app.coap;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.awaitility.Awaitility;
import org.eclipse.californium.core.CoapClient;
import org.eclipse.californium.core.CoapResponse;

/**
 * Test fixture: requests the gateway refuses over DTLS without a word to the peer (issue 13 item 5). Instead of
 * waiting a fixed time for an answer that must not come, a test awaits the meter of the gateway's decision
 * ({@link ScandiumDtlsCounters}), read as a delta from just before the request since the Quarkus test app and its
 * meters are shared, and then checks that no answer came.
 */
final class DtlsDecisions {

    /** A silent decision of the DTLS port and the meter that counts it. */
    enum Decision {
        /** The handshake's Finished failed to verify. */
        WRONG_KEY("mecgw.coap.dtls.handshakes.refused", "wrong-key"),
        /** The handshake's identity has no key. */
        UNKNOWN_IDENTITY("mecgw.coap.dtls.handshakes.refused", "unknown-identity"),
        /** A record arrived for a session the gateway no longer has. */
        RECORD_WITHOUT_SESSION("mecgw.coap.dtls.records.dropped", "other");

        private final String meter;
        private final String reason;

        Decision(String meter, String reason) {
            this.meter = meter;
            this.reason = reason;
        }

        double count(MeterRegistry meters) {
            return meters.get(meter).tag("reason", reason).functionCounter().count();
        }
    }

    private DtlsDecisions() {}

    /**
     * Posts {@code json} through {@code client} without waiting, awaits {@code decision} (as long as a test client
     * waits for an answer: a handshake with a PSK lookup in PostgreSQL can take seconds on a loaded machine), then
     * asserts that nothing was answered. Fails, too, when the gateway answered instead of deciding so.
     *
     * @return the pending request, for a later check that it stayed unanswered
     */
    static CompletableFuture<CoapResponse> postRefused(
            MeterRegistry meters, CoapClient client, String json, Decision decision) {
        double before = decision.count(meters);
        CompletableFuture<CoapResponse> answer = CoapTestDevices.postAsync(client, json);
        Awaitility.await(decision + " counted")
                .atMost(Duration.ofMillis(CoapTestDevices.CLIENT_TIMEOUT_MS))
                .pollInterval(Duration.ofMillis(20))
                .until(() -> decision.count(meters) > before);
        assertThat(CoapTestDevices.unanswered(answer))
                .as("no answer after %s", decision)
                .isTrue();
        return answer;
    }
}
