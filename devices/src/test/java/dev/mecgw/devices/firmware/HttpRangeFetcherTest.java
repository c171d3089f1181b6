package dev.mecgw.devices.firmware;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The device's HTTP Range download against a range server over real sockets (the gateway's side is
 * {@code FirmwareDownloadResourceTest} in mec-app): a cut mid-chunk costs at most one chunk again.
 */
class HttpRangeFetcherTest {

    private static final int CHUNK = 4096;
    private static final Pattern RANGE = Pattern.compile("bytes=(\\d+)-(\\d+)");

    private final byte[] image = new byte[50_000];
    private final AtomicLong served = new AtomicLong();
    private final AtomicInteger requests = new AtomicInteger();
    private HttpServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop(0);
        }
    }

    @Test
    void shouldResumeWhereItStoppedWhenTheLinkIsCut() throws Exception {
        // Given a server that drops the link in the middle of the third chunk
        new Random(18).nextBytes(image);
        URI base = givenAServer(3);
        AtomicLong received = new AtomicLong();

        // When the device downloads
        byte[] got = new HttpRangeFetcher(base, "dev-1", "secret-pw", CHUNK, retry(), received).fetch("/fw/fw.bin");

        // Then it holds the whole image and at most one chunk was sent twice
        assertThat(got).isEqualTo(image);
        assertThat(served.get()).isLessThanOrEqualTo(image.length + CHUNK);
        assertThat(received.get()).isLessThanOrEqualTo(image.length + CHUNK);
    }

    @Test
    void shouldGiveUpAtOnceWhenRefused() throws Exception {
        URI base = givenAServer(0);
        // A generous read timeout: on a loaded machine a late 401 would otherwise count as a lost link and be retried.
        DownloadRetry patient = new DownloadRetry(5, Duration.ofMillis(10), Duration.ofSeconds(30));
        assertThatThrownBy(() -> new HttpRangeFetcher(base, "dev-1", "wrong", CHUNK, patient, new AtomicLong())
                        .fetch("/fw/fw.bin"))
                .hasMessageContaining("HTTP 401");
        assertThat(requests.get()).isEqualTo(1);
    }

    private static DownloadRetry retry() {
        // A short read timeout: the test server may leave a cut exchange open instead of closing it.
        return new DownloadRetry(5, Duration.ofMillis(10), Duration.ofMillis(500));
    }

    private URI givenAServer(int cutRequest) throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        String basic =
                "Basic " + Base64.getEncoder().encodeToString("dev-1:secret-pw".getBytes(StandardCharsets.UTF_8));
        server.createContext("/fw/fw.bin", exchange -> {
            int n = requests.incrementAndGet();
            if (!basic.equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
                exchange.sendResponseHeaders(401, -1);
                exchange.close();
                return;
            }
            Matcher m = RANGE.matcher(exchange.getRequestHeaders().getFirst("Range"));
            assertThat(m.matches()).isTrue();
            int first = Integer.parseInt(m.group(1));
            int last = Math.min(Integer.parseInt(m.group(2)), image.length - 1);
            exchange.getResponseHeaders().add("Content-Range", "bytes " + first + "-" + last + "/" + image.length);
            exchange.getResponseHeaders().add("ETag", "\"v1\"");
            exchange.sendResponseHeaders(206, last - first + 1);
            write(exchange, first, n == cutRequest ? (last - first + 1) / 2 : last - first + 1);
            if (n == cutRequest) {
                // Half the chunk, then the link is gone.
                exchange.getResponseBody().flush();
                closeAbruptly(exchange);
                return;
            }
            exchange.close();
        });
        server.start();
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    private void write(HttpExchange exchange, int from, int length) throws IOException {
        OutputStream out = exchange.getResponseBody();
        out.write(image, from, length);
        served.addAndGet(length);
    }

    private static void closeAbruptly(HttpExchange exchange) {
        // Closing the body stream short of its declared length makes the JDK server drop the connection.
        try {
            exchange.getResponseBody().close();
        } catch (IOException e) {
            // expected: fewer bytes than announced
        }
        exchange.close();
    }
}
