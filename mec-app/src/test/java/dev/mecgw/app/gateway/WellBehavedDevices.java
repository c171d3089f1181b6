package dev.mecgw.app.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt3.Mqtt3BlockingClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.californium.core.CoapClient;
import org.eclipse.californium.core.CoapResponse;
import org.eclipse.californium.core.coap.CoAP.ResponseCode;
import org.eclipse.californium.core.coap.MediaTypeRegistry;

/**
 * The bystanders of an abuse suite: a fresh MQTT device publishing acknowledged QoS 1 readings and a fresh plain
 * CoAP device posting confirmable readings, both from 127.0.0.1 on a background thread, from construction until
 * {@link #finish()}, at least 50 readings each.
 *
 * <p>Well-behaved means within the gateway's limits too: one reading of each, then a pause of {@link #PERIOD}, so
 * at most 20 a second, under the default per-peer CoAP rate (50 a second, burst 100). Unpaced, the loop's speed was
 * the machine's: on a fast one it outran that rate, and the gateway rightly answered the CoAP device's excess with an
 * RST, which the client reports as no response (the CI run of stop 31: readings 7, 38 and 45 of three suites). All
 * CoapClients of this JVM share Californium's default endpoint, so every suite's device is the same peer.
 */
final class WellBehavedDevices implements AutoCloseable {

    private final AbuseGateway gateway;
    private final String metric;
    private final String mqttDevice;
    private final String coapDevice;
    private final Mqtt3BlockingClient mqtt;
    private final CoapClient coap;
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final AtomicInteger acked = new AtomicInteger();
    private final CompletableFuture<Void> loop = new CompletableFuture<>();
    private final ScheduledExecutorService pace = Executors.newSingleThreadScheduledExecutor();
    private final long base = System.currentTimeMillis() - 600_000;
    private int next;

    /** Between two readings of each device. */
    static final Duration PERIOD = Duration.ofMillis(50);

    /** Starts publishing readings named {@code metric}. */
    WellBehavedDevices(AbuseGateway gateway, String metric) throws Exception {
        this.gateway = gateway;
        this.metric = metric;
        this.mqttDevice = gateway.givenDevice("good-mqtt", "sensor");
        this.coapDevice = gateway.givenDevice("good-coap", "sensor");
        this.mqtt = gateway.mqtt3(mqttDevice);
        this.coap = new CoapClient("coap://127.0.0.1:" + gateway.coapPort() + "/telemetry/" + coapDevice);
        coap.setTimeout(10_000L);
        // With a fixed delay, not at a fixed rate: after a stalled reading (a CoAP retransmission, a GC pause) a
        // fixed rate fires the missed ticks back to back, a burst past the peer's rate on a fast machine.
        pace.scheduleWithFixedDelay(this::tick, 0, PERIOD.toNanos(), TimeUnit.NANOSECONDS);
        loop.whenComplete((done, failure) -> pace.shutdown());
    }

    private void tick() {
        if (loop.isDone()) {
            return;
        }
        if (!running.get() && next >= 50) {
            loop.complete(null);
            return;
        }
        try {
            publish(next++);
        } catch (Throwable failure) {
            loop.completeExceptionally(failure);
        }
    }

    private void publish(int i) {
        String reading = "{\"" + metric + "\":" + i + ",\"ts\":" + (base + i) + "}";
        mqtt.publishWith()
                .topic("devices/" + mqttDevice + "/telemetry")
                .payload(reading.getBytes(StandardCharsets.UTF_8))
                .qos(MqttQos.AT_LEAST_ONCE)
                .send();
        CoapResponse response;
        try {
            response = coap.post(reading, MediaTypeRegistry.APPLICATION_JSON);
        } catch (Exception e) {
            throw new AssertionError("CoAP reading " + i + " not answered", e);
        }
        assertThat(response)
                .as(() -> "CoAP reading " + i + " answered (gateway's mecgw_coap_requests_throttled_total "
                        + throttled() + ")")
                .isNotNull();
        assertThat(response.getCode()).as("CoAP reading %d", i).isEqualTo(ResponseCode.CHANGED);
        acked.incrementAndGet();
    }

    private String throttled() {
        try {
            return Double.toString(gateway.metric("mecgw_coap_requests_throttled_total"));
        } catch (Exception e) {
            return "unread: " + e;
        }
    }

    /** Stops publishing and checks that every acknowledged reading of both devices is stored. */
    void finish() throws Exception {
        running.set(false);
        loop.join();
        assertThat(gateway.stored(mqttDevice, metric))
                .as("stored readings of %s", mqttDevice)
                .isEqualTo(acked.get());
        assertThat(gateway.stored(coapDevice, metric))
                .as("stored readings of %s", coapDevice)
                .isEqualTo(acked.get());
    }

    @Override
    public void close() {
        running.set(false);
        loop.cancel(false);
        pace.shutdownNow();
        mqtt.disconnect();
        coap.shutdown();
    }
}
