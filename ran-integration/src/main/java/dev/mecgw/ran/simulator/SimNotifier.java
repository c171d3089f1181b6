package dev.mecgw.ran.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;
import org.apache.commons.lang3.concurrent.BasicThreadFactory;
import org.jboss.logging.Logger;

/**
 * Posts notifications to callbacks, one at a time in the order they were raised (a report of loss of
 * connectivity must not overtake the attach before it), and records each with the callback's answer.
 */
final class SimNotifier implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(SimNotifier.class);

    private final HttpClient client =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final ExecutorService sender = Executors.newSingleThreadExecutor(BasicThreadFactory.builder()
            .namingPattern("ran-simulator-notify")
            .daemon(true)
            .build());
    private final ObjectMapper json;
    private final Consumer<SimExchange> recorder;

    SimNotifier(ObjectMapper json, Consumer<SimExchange> recorder) {
        this.json = json;
        this.recorder = recorder;
    }

    /** Queues one POST of {@code body} to {@code destination}. */
    void post(URI destination, JsonNode body) {
        sender.execute(() -> send(destination, body));
    }

    private void send(URI destination, JsonNode body) {
        int status;
        try {
            HttpRequest request = HttpRequest.newBuilder(destination)
                    .timeout(Duration.ofSeconds(5))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(json.writeValueAsBytes(body)))
                    .build();
            status =
                    client.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            status = 0;
            // The path may hold a capability token: log the host only.
            LOG.warnf("notification to %s failed: %s", destination.getHost(), e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        recorder.accept(new SimExchange(
                SimExchange.Kind.NOTIFICATION, "POST", destination.toString(), status, "application/json", body));
    }

    @Override
    public void close() {
        sender.shutdownNow();
    }
}
