package dev.mecgw.app.mqtt;

import static dev.mecgw.app.mqtt.StandaloneBroker.givenABroker;
import static org.assertj.core.api.Assertions.assertThat;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.message.disconnect.Mqtt5DisconnectReasonCode;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** MQTT 5 Will Delay Interval (section 3.1.3.2.2) with the HiveMQ client. */
class DelayedWillsTest {

    private static StandaloneBroker broker;

    @BeforeAll
    static void startBroker() throws Exception {
        broker = givenABroker(Map.of());
    }

    @AfterAll
    static void stopBroker() throws Exception {
        broker.close();
    }

    @Test
    void shouldPublishWillOnlyAfterItsDelayWhenClientDisconnectsWithWill() throws Exception {
        // given: a client whose will waits 1 s, in a session that outlives that
        try (WillScenario will = givenAWatchedWill("delayed-" + UUID.randomUUID(), 1, 60)) {
            Mqtt5BlockingClient.Mqtt5Publishes received = will.received();
            // when
            long closedAt = System.nanoTime();
            disconnectWithWill(will.client());
            // then: nothing at once, the will after about a second
            assertThat(received.receive(500, TimeUnit.MILLISECONDS)).isEmpty();
            Optional<Mqtt5Publish> published = received.receive(5, TimeUnit.SECONDS);
            assertThat(published)
                    .map(p -> new String(p.getPayloadAsBytes(), StandardCharsets.UTF_8))
                    .contains("gone");
            assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - closedAt))
                    .isGreaterThanOrEqualTo(950);
        }
    }

    @Test
    void shouldNotPublishWillWhenClientReconnectsWithinDelay() throws Exception {
        // given
        String clientId = "returning-" + UUID.randomUUID();
        try (WillScenario will = givenAWatchedWill(clientId, 1, 60)) {
            disconnectWithWill(will.client());
            // when: it resumes its session before the delay passed
            Mqtt5BlockingClient back = client(clientId);
            assertThat(back.connectWith()
                            .cleanStart(false)
                            .sessionExpiryInterval(60)
                            .send()
                            .isSessionPresent())
                    .isTrue();
            // then: the will never comes
            assertThat(will.received().receive(1500, TimeUnit.MILLISECONDS)).isEmpty();
            back.disconnect();
        }
    }

    @Test
    void shouldPublishWillWhenSessionEndsBeforeDelay() throws Exception {
        // given: a will delay of one hour, but a session that expires after one second
        try (WillScenario will = givenAWatchedWill("expiring-" + UUID.randomUUID(), 3600, 1)) {
            // when
            disconnectWithWill(will.client());
            // then: the session's end sends the will
            assertThat(will.received().receive(5, TimeUnit.SECONDS)).isPresent();
        }
    }

    /** A connected client with a delayed will on a fresh topic, and a watcher subscribed to that topic. */
    private static WillScenario givenAWatchedWill(String clientId, long delaySeconds, long sessionExpirySeconds) {
        String topic = "status/" + UUID.randomUUID();
        Mqtt5BlockingClient client = client(clientId);
        client.connectWith()
                .sessionExpiryInterval(sessionExpirySeconds)
                .willPublish()
                .topic(topic)
                .payload("gone".getBytes(StandardCharsets.UTF_8))
                .qos(MqttQos.AT_LEAST_ONCE)
                .delayInterval(delaySeconds)
                .applyWillPublish()
                .send();
        return new WillScenario(client, givenWatcher(topic));
    }

    private record WillScenario(Mqtt5BlockingClient client, Mqtt5BlockingClient.Mqtt5Publishes received)
            implements AutoCloseable {
        @Override
        public void close() {
            received.close();
        }
    }

    /** DISCONNECT with reason 0x04: the will is published, as after a network failure. */
    private static void disconnectWithWill(Mqtt5BlockingClient client) {
        client.disconnectWith()
                .reasonCode(Mqtt5DisconnectReasonCode.DISCONNECT_WITH_WILL_MESSAGE)
                .send();
    }

    private static Mqtt5BlockingClient.Mqtt5Publishes givenWatcher(String topic) {
        Mqtt5BlockingClient watcher = client("watcher-" + UUID.randomUUID());
        watcher.connect();
        Mqtt5BlockingClient.Mqtt5Publishes publishes = watcher.publishes(MqttGlobalPublishFilter.ALL);
        watcher.subscribeWith().topicFilter(topic).qos(MqttQos.AT_LEAST_ONCE).send();
        return publishes;
    }

    private static Mqtt5BlockingClient client(String clientId) {
        return MqttClient.builder()
                .useMqttVersion5()
                .identifier(clientId)
                .serverHost("127.0.0.1")
                .serverPort(broker.port())
                .buildBlocking();
    }
}
