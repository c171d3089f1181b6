package dev.mecgw.ran.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Issue 19: the transport remembers each API's last call and whether the peer answered (the console's 5G tile). */
class ApiCallsTest {

    @Test
    void shouldNameApiBySegmentBeforeVersionWhenPathHasRootPrefix() {
        assertThat(ApiCalls.api(URI.create("http://nef/3gpp-monitoring-event/v1/af/subscriptions")))
                .isEqualTo("3gpp-monitoring-event");
        assertThat(ApiCalls.api(URI.create("http://mec/sandbox/x/rni/v2/subscriptions/1")))
                .isEqualTo("rni");
        assertThat(ApiCalls.api(URI.create("http://mec/health"))).isEqualTo("health");
    }

    @Test
    void shouldRecordAnswerAndFailureWhenPeersAnswerOrNot() throws Exception {
        // given a peer answering 404 and a port where nothing listens
        HttpServer peer = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        peer.createContext("/", exchange -> {
            exchange.sendResponseHeaders(404, -1);
            exchange.close();
        });
        peer.start();
        int closed;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closed = socket.getLocalPort();
        }
        ApiCalls calls = new ApiCalls(Clock.systemUTC());
        JdkRestTransport http = new JdkRestTransport(
                new ObjectMapper(), Duration.ofSeconds(5), AccessTokens.fixed(Optional.empty()), calls);
        try {
            // when one call of each API is made
            catchThrowable(() -> http.send(
                            "GET",
                            URI.create("http://127.0.0.1:" + peer.getAddress().getPort() + "/rni/v2/x"),
                            null)
                    .join());
            catchThrowable(() -> http.send("GET", URI.create("http://127.0.0.1:" + closed + "/location/v2/y"), null)
                    .join());
        } finally {
            peer.stop(0);
        }

        // then the answering peer is reachable with its status, the other one unreachable with the reason
        assertThat(calls.last()).hasSize(2);
        ApiCalls.Call location = calls.last().get(0);
        ApiCalls.Call rni = calls.last().get(1);
        assertThat(rni.api()).isEqualTo("rni");
        assertThat(rni.answered()).isTrue();
        assertThat(rni.status()).isEqualTo(404);
        assertThat(rni.request()).isEqualTo("GET /rni/v2/x");
        assertThat(location.api()).isEqualTo("location");
        assertThat(location.answered()).isFalse();
        assertThat(location.failure()).isNotBlank();
    }
}
