package dev.mecgw.app.mqtt;

import static dev.mecgw.app.mqtt.MqttFixtures.bytes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt3.Mqtt3BlockingClient;
import com.hivemq.client.mqtt.mqtt3.exceptions.Mqtt3ConnAckException;
import com.hivemq.client.mqtt.mqtt3.message.connect.connack.Mqtt3ConnAckReturnCode;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5ConnAckException;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5PubAckException;
import com.hivemq.client.mqtt.mqtt5.message.connect.connack.Mqtt5ConnAckReasonCode;
import com.hivemq.client.mqtt.mqtt5.message.publish.puback.Mqtt5PubAckReasonCode;
import dev.mecgw.app.registry.MemoryDeviceRegistry;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 15, item 7 over the real socket: retained messages are bounded per device and in total (count and bytes),
 * sessions per device and in total; beyond a bound MQTT 5 gets 0x97 quota exceeded, MQTT 3.1.1 publishes are
 * delivered without being retained and its CONNECTs get 0x03.
 */
class MqttResourceBoundsTest {

    private final MemoryDeviceRegistry devices = new MemoryDeviceRegistry("right-password-1");
    private StandaloneBroker broker;

    @AfterEach
    void tearDown() throws Exception {
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    void shouldRefuseQuotaExceededWhenOneClientRetainsMoreThanItsBound() throws Exception {
        // given a broker holding at most 3 retained messages per client
        broker = StandaloneBroker.givenABroker(Map.of("mecgw.mqtt.max-retained-per-device", "3"));
        Mqtt5BlockingClient flooder = connected("flooder");
        for (int i = 0; i < 3; i++) {
            retain(flooder, "flood/" + i, "v" + i);
        }

        // when it retains on a fourth topic / then quota exceeded, counted
        Throwable refused = catchThrowable(() -> retain(flooder, "flood/3", "v3"));
        assertThat(refused).isInstanceOf(Mqtt5PubAckException.class);
        assertThat(((Mqtt5PubAckException) refused).getMqttMessage().getReasonCode())
                .isEqualTo(Mqtt5PubAckReasonCode.QUOTA_EXCEEDED);
        assertThat(broker.count("mecgw.mqtt.retained.refused", "reason", "per-device"))
                .isEqualTo(1);

        // and replacing one of its own, or another client's first, still fits
        retain(flooder, "flood/0", "v0-new");
        retain(connected("neighbour"), "neighbour/state", "on");

        // and a subscriber finds exactly the retained ones
        assertThat(retainedTopics("flood/#")).containsExactlyInAnyOrder("flood/0", "flood/1", "flood/2");
        assertThat(broker.meters.get("mecgw.mqtt.retained.messages").gauge().value())
                .isEqualTo(4);
    }

    @Test
    void shouldDeliverWithoutRetainingWhenAnMqtt3PublishBreaksTheTotalBytes() throws Exception {
        // given a broker holding at most 1000 retained payload bytes altogether
        broker = StandaloneBroker.givenABroker(Map.of("mecgw.mqtt.max-retained-bytes", "1000"));
        Mqtt3BlockingClient publisher = MqttFixtures.mqtt3(broker.port(), "old-firmware");
        publisher.connect();
        Mqtt5BlockingClient live = connected("live-subscriber");
        Mqtt5BlockingClient.Mqtt5Publishes incoming =
                live.publishes(com.hivemq.client.mqtt.MqttGlobalPublishFilter.ALL);
        live.subscribeWith().topicFilter("big/#").qos(MqttQos.AT_LEAST_ONCE).send();

        // when an MQTT 3.1.1 client retains 600 bytes twice
        for (String topic : List.of("big/a", "big/b")) {
            publisher
                    .publishWith()
                    .topic(topic)
                    .payload(new byte[600])
                    .qos(MqttQos.AT_LEAST_ONCE)
                    .retain(true)
                    .send();
        }

        // then both are acknowledged and delivered live, but only the first is retained
        assertThat(incoming.receive(10, TimeUnit.SECONDS)).isPresent();
        assertThat(incoming.receive(10, TimeUnit.SECONDS)).isPresent();
        assertThat(retainedTopics("big/#")).containsExactly("big/a");
        assertThat(broker.count("mecgw.mqtt.retained.refused", "reason", "total"))
                .isEqualTo(1);
    }

    @Test
    void shouldRefuseQuotaExceededWhenADeviceOpensMoreSessionsThanItsBound() throws Exception {
        // given a broker allowing 2 sessions per device, and two devices
        broker = StandaloneBroker.givenABroker(
                Map.of("mecgw.mqtt.allow-anonymous", "false", "mecgw.mqtt.max-sessions-per-device", "2"),
                devices,
                devices.hasher,
                java.time.Clock.systemUTC());
        devices.add("pump");
        devices.add("fan");
        for (String clientId : List.of("pump-1", "pump-2")) {
            assertThat(connect5("pump", clientId)).isNull();
        }

        // when the device opens a third persistent session / then quota exceeded (0x03 on MQTT 3.1.1), counted
        assertThat(connect5("pump", "pump-3")).isEqualTo(Mqtt5ConnAckReasonCode.QUOTA_EXCEEDED);
        Throwable refused3 = catchThrowable(() -> MqttFixtures.mqtt3(broker.port(), "pump-4")
                .connectWith()
                .cleanSession(false)
                .simpleAuth()
                .username("pump")
                .password(bytes("right-password-1"))
                .applySimpleAuth()
                .send());
        assertThat(((Mqtt3ConnAckException) refused3).getMqttMessage().getReturnCode())
                .isEqualTo(Mqtt3ConnAckReturnCode.SERVER_UNAVAILABLE);
        assertThat(broker.count("mecgw.mqtt.connections.refused", "reason", "session-quota"))
                .isEqualTo(2);

        // and it resumes its own sessions, and another device is not affected
        assertThat(connect5("pump", "pump-1")).isNull();
        assertThat(connect5("fan", "fan")).isNull();
    }

    /** Connects a persistent (1 h) MQTT 5 session and disconnects; the CONNACK reason when refused, else null. */
    private Mqtt5ConnAckReasonCode connect5(String device, String clientId) {
        Mqtt5BlockingClient client = MqttFixtures.mqtt5(broker.port(), clientId);
        Throwable refused = catchThrowable(() -> client.connectWith()
                .cleanStart(false)
                .sessionExpiryInterval(3600)
                .simpleAuth()
                .username(device)
                .password(bytes("right-password-1"))
                .applySimpleAuth()
                .send());
        if (refused == null) {
            client.disconnect();
            return null;
        }
        assertThat(refused).isInstanceOf(Mqtt5ConnAckException.class);
        return ((Mqtt5ConnAckException) refused).getMqttMessage().getReasonCode();
    }

    private Mqtt5BlockingClient connected(String clientId) {
        Mqtt5BlockingClient client = MqttFixtures.mqtt5(broker.port(), clientId);
        client.connect();
        return client;
    }

    private static void retain(Mqtt5BlockingClient client, String topic, String value) {
        client.publishWith()
                .topic(topic)
                .payload(bytes(value))
                .qos(MqttQos.AT_LEAST_ONCE)
                .retain(true)
                .send();
    }

    /**
     * The topics of the retained messages a new subscription to {@code filter} (ending in {@code #}) receives. The
     * broker sends them right after the SUBACK, so a live marker published next arrives after the last of them: the
     * list ends there instead of after a quiet second, which a loaded machine can produce mid-list.
     */
    private List<String> retainedTopics(String filter) throws Exception {
        Mqtt5BlockingClient subscriber = connected("subscriber-" + Instant.now().toEpochMilli());
        String marker = filter.replace("#", "end-of-retained-" + UUID.randomUUID());
        try (Mqtt5BlockingClient.Mqtt5Publishes publishes =
                subscriber.publishes(com.hivemq.client.mqtt.MqttGlobalPublishFilter.ALL)) {
            subscriber
                    .subscribeWith()
                    .topicFilter(filter)
                    .qos(MqttQos.AT_LEAST_ONCE)
                    .send();
            subscriber
                    .publishWith()
                    .topic(marker)
                    .payload(bytes("end"))
                    .qos(MqttQos.AT_LEAST_ONCE)
                    .send();
            List<String> topics = new ArrayList<>();
            for (String topic = nextTopic(publishes); !topic.equals(marker); topic = nextTopic(publishes)) {
                topics.add(topic);
            }
            return topics;
        } finally {
            subscriber.disconnect();
        }
    }

    private static String nextTopic(Mqtt5BlockingClient.Mqtt5Publishes publishes) throws InterruptedException {
        // A bound that only ends a hung test: the marker always comes.
        return publishes.receive(30, TimeUnit.SECONDS).orElseThrow().getTopic().toString();
    }
}
