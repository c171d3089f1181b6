package dev.mecgw.app.mqtt;

import static dev.mecgw.app.mqtt.MqttFixtures.bytes;
import static dev.mecgw.app.mqtt.MqttFixtures.payloadOf;
import static dev.mecgw.app.mqtt.StandaloneBroker.givenABroker;
import static org.assertj.core.api.Assertions.assertThat;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.message.disconnect.Mqtt5DisconnectReasonCode;
import java.util.Map;
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
        // given: a client whose will waits 2 s, in a session that outlives that
        try (WillScenario will = givenAWatchedWill("delayed-" + UUID.randomUUID(), 2, 60)) {
            // when: it goes, and a marker is published on the will's topic right after
            disconnectWithWill(will.client());
            will.watcher()
                    .publishWith()
                    .topic(will.topic())
                    .payload(bytes("marker"))
                    .qos(MqttQos.AT_LEAST_ONCE)
                    .send();
            // then: the marker first (nothing at once), the will after its delay
            assertThat(payloadOf(will.received().receive(5, TimeUnit.SECONDS))).isEqualTo("marker");
            assertThat(payloadOf(will.received().receive(10, TimeUnit.SECONDS))).isEqualTo("gone");
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
            // and: a second client leaves a will with the same delay on the same topic, later, so its timer
            // fires after the first one would have (the broker's timers run in deadline order)
            Mqtt5BlockingClient marker = client("marker-" + UUID.randomUUID());
            connectWithWill(marker, will.topic(), "marker", 1, 60);
            disconnectWithWill(marker);
            // then: the marker's will comes, and the returning client's never came before it
            assertThat(payloadOf(will.received().receive(10, TimeUnit.SECONDS))).isEqualTo("marker");
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
        connectWithWill(client, topic, "gone", delaySeconds, sessionExpirySeconds);
        Mqtt5BlockingClient watcher = client("watcher-" + UUID.randomUUID());
        watcher.connect();
        Mqtt5BlockingClient.Mqtt5Publishes received = watcher.publishes(MqttGlobalPublishFilter.ALL);
        watcher.subscribeWith().topicFilter(topic).qos(MqttQos.AT_LEAST_ONCE).send();
        return new WillScenario(client, topic, watcher, received);
    }

    private static void connectWithWill(
            Mqtt5BlockingClient client, String topic, String payload, long delaySeconds, long sessionExpirySeconds) {
        client.connectWith()
                .sessionExpiryInterval(sessionExpirySeconds)
                .willPublish()
                .topic(topic)
                .payload(bytes(payload))
                .qos(MqttQos.AT_LEAST_ONCE)
                .delayInterval(delaySeconds)
                .applyWillPublish()
                .send();
    }

    private record WillScenario(
            Mqtt5BlockingClient client,
            String topic,
            Mqtt5BlockingClient watcher,
            Mqtt5BlockingClient.Mqtt5Publishes received)
            implements AutoCloseable {
        @Override
        public void close() {
            received.close();
            watcher.disconnect();
        }
    }

    /** DISCONNECT with reason 0x04: the will is published, as after a network failure. */
    private static void disconnectWithWill(Mqtt5BlockingClient client) {
        client.disconnectWith()
                .reasonCode(Mqtt5DisconnectReasonCode.DISCONNECT_WITH_WILL_MESSAGE)
                .send();
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
