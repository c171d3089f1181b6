package dev.mecgw.app.twin;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.junit.jupiter.api.Test;

/** The one desired-twin push (issue 13, item 2): CoAP observers, then the retained QoS 1 MQTT message. */
class DesiredTwinPushTest {

    private final List<String> order = new ArrayList<>();
    private final List<Sent> sent = new ArrayList<>();
    private final CompletableFuture<Void> stored = new CompletableFuture<>();

    @Test
    void shouldOfferToCoapThenSendRetainedAtQos1WhenPushed() {
        // given
        DesiredTwinPush push = new DesiredTwinPush(givenCoapObservers(), givenABroker());
        byte[] desired = "{\"interval\":10}".getBytes(StandardCharsets.UTF_8);

        // when
        CompletionStage<Void> result = push.push(new DesiredTwin("pump-1", 7, desired));

        // then the same bytes went to both, the MQTT copy retained at QoS 1 on the device's desired topic
        assertThat(order).containsExactly("coap pump-1 v7", "mqtt");
        assertThat(sent).singleElement().satisfies(s -> {
            assertThat(s.topic()).isEqualTo("devices/pump-1/twin/desired");
            assertThat(s.payload()).isSameAs(desired);
            assertThat(s.qos()).isEqualTo(1);
            assertThat(s.retain()).isTrue();
        });
        // and the caller learns when the broker stored it
        assertThat(result.toCompletableFuture()).isNotDone();
        stored.complete(null);
        assertThat(result.toCompletableFuture()).isCompleted();
    }

    private DeviceUpdatePublisher givenCoapObservers() {
        DeviceUpdatePublisher coap = DeviceUpdatePublisher.inProcess();
        coap.subscribe(new DeviceUpdateListener() {
            @Override
            public void onCommand(DeviceCommand command) {}

            @Override
            public void onDesiredChanged(DesiredTwin twin) {
                order.add("coap " + twin.deviceId() + " v" + twin.version());
            }
        });
        return coap;
    }

    private DeviceMessenger givenABroker() {
        return new DeviceMessenger() {
            @Override
            public CompletionStage<Void> send(String topic, byte[] payload, int qos, boolean retain) {
                order.add("mqtt");
                sent.add(new Sent(topic, payload, qos, retain));
                return stored;
            }

            @Override
            public CompletionStage<Void> sendCommand(DeviceCommand command) {
                throw new AssertionError("no command expected");
            }
        };
    }

    private record Sent(String topic, byte[] payload, int qos, boolean retain) {}
}
