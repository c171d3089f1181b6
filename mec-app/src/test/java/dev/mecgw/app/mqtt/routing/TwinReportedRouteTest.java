package dev.mecgw.app.mqtt.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mecgw.app.acl.Principal;
import dev.mecgw.app.mqtt.persistence.BrokerMessage;
import dev.mecgw.app.twin.DesiredTwin;
import dev.mecgw.app.twin.TwinStore;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Reports of one device are merged in arrival order (issue 18: an MQTT canary stuck at "downloaded"). */
class TwinReportedRouteTest {

    private final Vertx vertx = Vertx.vertx();

    @AfterEach
    void close() {
        vertx.close().toCompletionStage().toCompletableFuture().join();
    }

    @Test
    void shouldMergeReportsOfOneDeviceInArrivalOrderWhenTheFirstMergeIsSlow() throws Exception {
        // given a store whose first merge blocks until all three reports were handed to the route
        CountDownLatch allSubmitted = new CountDownLatch(1);
        OrderRecordingStore store = new OrderRecordingStore(allSubmitted);
        TwinReportedRoute route = new TwinReportedRoute(vertx, store);
        Principal device = new Principal("pump-1", "sensor");
        // when
        List<Future<Void>> acks = List.of(
                route.handle(device, report("downloaded")),
                route.handle(device, report("updating")),
                route.handle(device, report("idle")));
        allSubmitted.countDown();
        // then
        await().atMost(10, TimeUnit.SECONDS).until(() -> acks.stream().allMatch(Future::succeeded));
        assertThat(store.merged).containsExactly("downloaded", "updating", "idle");
    }

    private static BrokerMessage report(String state) {
        byte[] json = ("{\"firmware\":{\"state\":\"" + state + "\"}}").getBytes(StandardCharsets.UTF_8);
        return BrokerMessage.fromGateway("devices/pump-1/twin/reported", json, 1, false);
    }

    private static final class OrderRecordingStore implements TwinStore {
        private final CountDownLatch allSubmitted;
        private final List<String> merged = new CopyOnWriteArrayList<>();

        OrderRecordingStore(CountDownLatch allSubmitted) {
            this.allSubmitted = allSubmitted;
        }

        @Override
        public long report(String deviceId, byte[] reportedJson) {
            String json = new String(reportedJson, StandardCharsets.UTF_8);
            if (merged.isEmpty()) {
                try {
                    allSubmitted.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            merged.add(json.replaceAll(".*\"state\":\"([a-z]+)\".*", "$1"));
            return merged.size();
        }

        @Override
        public long setDesired(String deviceId, JsonNode desired) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Optional<DesiredTwin> desired(String deviceId) {
            return Optional.empty();
        }

        @Override
        public JsonNode get(String deviceId) {
            throw new UnsupportedOperationException();
        }
    }
}
