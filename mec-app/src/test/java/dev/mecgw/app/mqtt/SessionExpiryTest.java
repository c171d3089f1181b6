package dev.mecgw.app.mqtt;

import static dev.mecgw.app.mqtt.MqttFixtures.bytes;
import static dev.mecgw.app.mqtt.MqttFixtures.mqtt5;
import static dev.mecgw.app.mqtt.PahoClients.WAIT_MS;
import static dev.mecgw.app.mqtt.StandaloneBroker.givenABroker;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import dev.mecgw.app.mqtt.PahoClients.Paho5;
import dev.mecgw.app.mqtt.PahoClients.Received;
import java.io.DataInputStream;
import java.net.Socket;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 20 item 4: Session Expiry Interval semantics (MQTT 5 sections 3.1.2.11.2 and 3.14.2.2.2) on a clock the
 * test moves: the session lives exactly its interval after disconnect, a DISCONNECT may change the interval (not
 * from 0), Session Present says whether it survived, expiry drops its queue and subscriptions, across restarts too.
 */
class SessionExpiryTest {

    private final TestClock clock = new TestClock();
    private final MemorySessionStore store = new MemorySessionStore();
    private StandaloneBroker broker;

    @BeforeEach
    void setUp() throws Exception {
        broker = givenABroker(Map.of(), clock, store);
    }

    @AfterEach
    void tearDown() throws Exception {
        broker.close();
    }

    @Test
    void shouldResumeWithinIntervalAndStartOverAfterItWhenHiveMqClientReconnects() throws Exception {
        // given: a session with a subscription and a message queued while offline
        Mqtt5BlockingClient publisher = givenPublisher();
        Mqtt5BlockingClient client = mqtt5(broker.port(), "exp-hive");
        client.connectWith().cleanStart(true).sessionExpiryInterval(60).send();
        client.subscribeWith().topicFilter("exp/a").qos(MqttQos.AT_LEAST_ONCE).send();
        disconnectAndAwaitDeadline(client, "exp-hive", 60);
        publish(publisher, "exp/a", "one");
        try (Mqtt5BlockingClient.Mqtt5Publishes publishes = client.publishes(MqttGlobalPublishFilter.ALL)) {
            // when: back after 59 s
            clock.advance(Duration.ofSeconds(59));
            boolean presentBefore = client.connectWith()
                    .cleanStart(false)
                    .sessionExpiryInterval(60)
                    .send()
                    .isSessionPresent();
            String queued = new String(
                    publishes.receive(10, TimeUnit.SECONDS).orElseThrow().getPayloadAsBytes());
            disconnectAndAwaitDeadline(client, "exp-hive", 60);
            publish(publisher, "exp/a", "two");
            // and: back after 61 s (a fresh client object: HiveMQ's would fail its connect for the lost session)
            clock.advance(Duration.ofSeconds(61));
            assertThat(presentBefore).isTrue();
            assertThat(queued).isEqualTo("one");
        }
        Mqtt5BlockingClient again = mqtt5(broker.port(), "exp-hive");
        try (Mqtt5BlockingClient.Mqtt5Publishes publishes = again.publishes(MqttGlobalPublishFilter.ALL)) {
            boolean presentAfter = again.connectWith()
                    .cleanStart(false)
                    .sessionExpiryInterval(60)
                    .send()
                    .isSessionPresent();
            again.subscribeWith()
                    .topicFilter("exp/b")
                    .qos(MqttQos.AT_LEAST_ONCE)
                    .send();
            publish(publisher, "exp/a", "three");
            publish(publisher, "exp/b", "four");
            // then: the expired session's queue ("two") and subscription ("three") are gone
            assertThat(presentAfter).isFalse();
            assertThat(new String(publishes
                            .receive(10, TimeUnit.SECONDS)
                            .orElseThrow()
                            .getPayloadAsBytes()))
                    .isEqualTo("four");
        }
        again.disconnect();
        publisher.disconnect();
    }

    @Test
    void shouldKeepSessionForTheIntervalOfTheDisconnectWhenPahoClientChangesIt() throws Exception {
        // given
        Mqtt5BlockingClient publisher = givenPublisher();
        Paho5 paho = new Paho5(broker.port(), "exp-paho").connect(pahoOptions(true, 10));
        paho.client.subscribe("exp/p", 1).waitForCompletion(WAIT_MS);
        // when: the DISCONNECT asks for an hour instead of 10 s
        MqttProperties longer = new MqttProperties();
        longer.setSessionExpiryInterval(3600L);
        paho.client.disconnect(0, null, null, 0, longer).waitForCompletion(WAIT_MS);
        await().atMost(10, TimeUnit.SECONDS).until(() -> store.expiresAt("exp-paho") > 0);
        long deadline = store.expiresAt("exp-paho");
        publish(publisher, "exp/p", "kept");
        clock.advance(Duration.ofMinutes(10));
        paho.connect(pahoOptions(false, 3600));
        // then
        assertThat(deadline).isEqualTo(clock.millis() - Duration.ofMinutes(10).toMillis() + 3_600_000);
        assertThat(paho.connack.getSessionPresent()).isTrue();
        Received kept = paho.received.poll(WAIT_MS, TimeUnit.MILLISECONDS);
        assertThat(kept.topic()).isEqualTo("exp/p");
        paho.close();
        publisher.disconnect();
    }

    @Test
    void shouldEndSessionAtDisconnectWhenHiveMqClientSetsIntervalToZero() {
        // given
        Mqtt5BlockingClient client = mqtt5(broker.port(), "exp-zero");
        client.connectWith().cleanStart(true).sessionExpiryInterval(60).send();
        client.subscribeWith().topicFilter("exp/z").send();
        await().atMost(10, TimeUnit.SECONDS).until(() -> store.holds("exp-zero"));
        // when
        client.disconnectWith().sessionExpiryInterval(0).send();
        // then
        await().atMost(10, TimeUnit.SECONDS).until(() -> !store.holds("exp-zero"));
        boolean present = client.connectWith()
                .cleanStart(false)
                .sessionExpiryInterval(60)
                .send()
                .isSessionPresent();
        assertThat(present).isFalse();
        client.disconnect();
    }

    @Test
    void shouldAnswerProtocolErrorWhenDisconnectRaisesIntervalFromZero() throws Exception {
        try (Socket socket = new Socket("127.0.0.1", broker.port())) {
            socket.setSoTimeout(15_000);
            DataInputStream in = new DataInputStream(socket.getInputStream());
            // given: connected with Session Expiry Interval 0 (absent)
            socket.getOutputStream().write(RawMqttPackets.connectV5("exp-raw", 60));
            assertThat(in.readUnsignedByte()).isEqualTo(0x20);
            in.skipNBytes(in.readUnsignedByte());
            // when: DISCONNECT (normal) with Session Expiry Interval 3600
            socket.getOutputStream().write(new byte[] {(byte) 0xE0, 7, 0x00, 5, 0x11, 0, 0, 0x0E, 0x10});
            // then: DISCONNECT 0x82, and no session kept
            assertThat(in.readUnsignedByte()).isEqualTo(0xE0);
            in.readUnsignedByte();
            assertThat(in.readUnsignedByte()).isEqualTo(0x82);
        }
        assertThat(store.holds("exp-raw")).isFalse();
    }

    @Test
    void shouldRestoreSessionAfterRestartUntilItExpires() throws Exception {
        // given: a persistent session with a queued message, then a restart 60 s later
        Mqtt5BlockingClient client = mqtt5(broker.port(), "exp-restart");
        client.connectWith().cleanStart(true).sessionExpiryInterval(120).send();
        client.subscribeWith().topicFilter("exp/r").qos(MqttQos.AT_LEAST_ONCE).send();
        disconnectAndAwaitDeadline(client, "exp-restart", 120);
        Mqtt5BlockingClient publisher = givenPublisher();
        publish(publisher, "exp/r", "queued");
        publisher.disconnect();
        givenARestartAfter(Duration.ofSeconds(60));
        // when
        Mqtt5BlockingClient resumed = mqtt5(broker.port(), "exp-restart");
        boolean present;
        String queued;
        try (Mqtt5BlockingClient.Mqtt5Publishes publishes = resumed.publishes(MqttGlobalPublishFilter.ALL)) {
            present = resumed.connectWith()
                    .cleanStart(false)
                    .sessionExpiryInterval(120)
                    .send()
                    .isSessionPresent();
            queued = new String(
                    publishes.receive(10, TimeUnit.SECONDS).orElseThrow().getPayloadAsBytes());
        }
        disconnectAndAwaitDeadline(resumed, "exp-restart", 120);
        givenARestartAfter(Duration.ofSeconds(121));
        Mqtt5BlockingClient late = mqtt5(broker.port(), "exp-restart");
        boolean presentAfterExpiry = late.connectWith()
                .cleanStart(false)
                .sessionExpiryInterval(120)
                .send()
                .isSessionPresent();
        // then
        assertThat(present).isTrue();
        assertThat(queued).isEqualTo("queued");
        assertThat(presentAfterExpiry).isFalse();
        late.disconnect();
    }

    private Mqtt5BlockingClient givenPublisher() {
        Mqtt5BlockingClient publisher = mqtt5(broker.port(), "exp-publisher-" + System.nanoTime());
        publisher.connect();
        return publisher;
    }

    private void givenARestartAfter(Duration downtime) throws Exception {
        broker.close();
        clock.advance(downtime);
        broker = givenABroker(Map.of(), clock, store);
    }

    /** Disconnects and waits until the broker stored the session's deadline, now + interval on the test clock. */
    private void disconnectAndAwaitDeadline(Mqtt5BlockingClient client, String clientId, long seconds) {
        long deadline = clock.millis() + seconds * 1000;
        client.disconnect();
        await().atMost(10, TimeUnit.SECONDS).until(() -> store.expiresAt(clientId) == deadline);
    }

    private static void publish(Mqtt5BlockingClient publisher, String topic, String payload) {
        publisher
                .publishWith()
                .topic(topic)
                .payload(bytes(payload))
                .qos(MqttQos.AT_LEAST_ONCE)
                .send();
    }

    private static MqttConnectionOptions pahoOptions(boolean cleanStart, long expirySeconds) {
        MqttConnectionOptions options = new MqttConnectionOptions();
        options.setCleanStart(cleanStart);
        options.setSessionExpiryInterval(expirySeconds);
        return options;
    }
}
