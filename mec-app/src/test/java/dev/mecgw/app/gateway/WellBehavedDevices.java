package dev.mecgw.app.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt3.Mqtt3BlockingClient;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
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
    private final CompletableFuture<Void> loop;

    /** Starts publishing readings named {@code metric}. */
    WellBehavedDevices(AbuseGateway gateway, String metric) throws Exception {
        this.gateway = gateway;
        this.metric = metric;
        this.mqttDevice = gateway.givenDevice("good-mqtt", "sensor");
        this.coapDevice = gateway.givenDevice("good-coap", "sensor");
        this.mqtt = gateway.mqtt3(mqttDevice);
        this.coap = new CoapClient("coap://127.0.0.1:" + gateway.coapPort() + "/telemetry/" + coapDevice);
        coap.setTimeout(10_000L);
        loop = CompletableFuture.runAsync(this::publish);
    }

    private void publish() {
        long base = System.currentTimeMillis() - 600_000;
        for (int i = 0; running.get() || i < 50; i++) {
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
            assertThat(response).as("CoAP reading %d answered", i).isNotNull();
            assertThat(response.getCode()).as("CoAP reading %d", i).isEqualTo(ResponseCode.CHANGED);
            acked.incrementAndGet();
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
        mqtt.disconnect();
        coap.shutdown();
    }
}
