package dev.mecgw.app.coap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mecgw.app.events.RejectedPayloadEvents;
import dev.mecgw.app.ingest.TelemetryIngest;
import dev.mecgw.app.ingest.TelemetryPayloadParser;
import dev.mecgw.app.registry.DeviceRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.lang.reflect.Proxy;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.eclipse.californium.core.CoapClient;
import org.eclipse.californium.core.CoapResponse;
import org.eclipse.californium.core.coap.CoAP.ResponseCode;
import org.eclipse.californium.core.coap.MediaTypeRegistry;
import org.eclipse.californium.core.network.Endpoint;
import org.eclipse.californium.scandium.dtls.pskstore.AdvancedSinglePskStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 14 item 10 for CoAP: rejected payloads go through the same per-device, per-minute aggregator as MQTT's,
 * while the device still gets its 4.00 with a diagnostic each time.
 */
class CoapRejectedPayloadsTest {

    private static final byte[] KEY = "0123456789abcdef".getBytes();
    private static final Instant T0 = Instant.parse("2026-12-05T10:00:05Z");

    private final List<Map<String, Object>> rows = new CopyOnWriteArrayList<>();
    private final ExecutorService workers = Executors.newFixedThreadPool(2);
    private volatile Instant now = T0;
    private RejectedPayloadEvents rejections;
    private CaliforniumCoapServer server;
    private Endpoint client;

    @AfterEach
    void tearDown() throws Exception {
        if (client != null) {
            client.destroy();
        }
        if (server != null) {
            server.close();
        }
        rejections.close();
        workers.shutdownNow();
        workers.awaitTermination(5, TimeUnit.SECONDS);
    }

    @Test
    void shouldRecordOneAggregatedEventPerMinuteWhenADeviceSends500BadPayloads() throws Exception {
        // given
        givenAServer();
        CoapClient device = dtlsClient();

        // when: 500 payloads that are not JSON within one minute
        for (int i = 0; i < 500; i++) {
            CoapResponse response = CoapTestDevices.answered(
                    device.post("not json " + i, MediaTypeRegistry.APPLICATION_JSON), "bad payload " + i);

            // then: each one is refused with 4.00 and a diagnostic
            assertThat(response.getCode()).isEqualTo(ResponseCode.BAD_REQUEST);
            assertThat(response.getResponseText()).isNotBlank();
        }
        rejections.flush();
        assertThat(rows).isEmpty();

        // when the minute is over, and one more bad payload comes in the next minute
        now = now.plus(Duration.ofMinutes(1));
        rejections.flush();
        assertThat(CoapTestDevices.answered(device.post("[", MediaTypeRegistry.APPLICATION_JSON), "bad payload [")
                        .getCode())
                .isEqualTo(ResponseCode.BAD_REQUEST);
        now = now.plus(Duration.ofMinutes(1));
        rejections.flush();

        // then: one row per minute, the first with the count of 500
        await().atMost(Duration.ofSeconds(10)).until(() -> rows.size() == 2);
        assertThat(rows).extracting(r -> r.get("device")).containsOnly("dev-1");
        assertThat(rows).extracting(r -> r.get("kind")).containsOnly("coap.rejected");
        Map<?, ?> first = (Map<?, ?>) rows.get(0).get("payload");
        assertThat(first.get("count")).isEqualTo(500L);
        assertThat(first.get("protocol")).isEqualTo("coap");
        assertThat(first.get("minute")).isEqualTo("2026-12-05T10:00:00Z");
        assertThat(((Map<?, ?>) rows.get(1).get("payload")).get("count")).isEqualTo(1L);
    }

    private void givenAServer() throws Exception {
        Clock clock = new Clock() {
            @Override
            public ZoneId getZone() {
                return ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(ZoneId zone) {
                return this;
            }

            @Override
            public Instant instant() {
                return now;
            }
        };
        rejections = new RejectedPayloadEvents(
                (deviceId, kind, severity, payload) ->
                        rows.add(Map.of("device", deviceId, "kind", kind, "payload", payload)),
                clock,
                16,
                16,
                new SimpleMeterRegistry());
        DeviceRegistry registry = (DeviceRegistry) Proxy.newProxyInstance(
                getClass().getClassLoader(), new Class<?>[] {DeviceRegistry.class}, (proxy, method, args) -> null);
        CoapDevices devices = new CoapDevices(registry, rejections, workers, Duration.ofMinutes(5));
        TelemetryIngest ingest = readings -> CompletableFuture.completedFuture(null);
        TelemetryResource telemetry = new TelemetryResource(
                new CoapAuthenticator(),
                new TelemetryPayloadParser(
                        new ObjectMapper(),
                        Clock.systemUTC(),
                        Instant.parse("2000-01-01T00:00:00Z"),
                        Duration.ofDays(1)),
                ingest,
                devices,
                dev.mecgw.app.ingest.RawMessageLog.NONE);
        server = new CaliforniumCoapServer(
                new TestCoapConfig(false, 100_000, 100_000),
                List.of(telemetry),
                new AdvancedSinglePskStore("dev-1", KEY),
                Optional.empty());
        server.start();
    }

    private CoapClient dtlsClient() {
        client = DtlsFlood.pskEndpoint("dev-1", KEY);
        return CoapTestDevices.dtlsClient(
                client, server.dtlsAddress(), "/telemetry", CoapTestDevices.CLIENT_TIMEOUT_MS);
    }
}
