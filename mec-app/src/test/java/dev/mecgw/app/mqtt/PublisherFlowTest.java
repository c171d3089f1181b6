package dev.mecgw.app.mqtt;

import static dev.mecgw.app.mqtt.StandaloneBroker.givenABroker;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5PublishResult;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Backpressure under QoS 1 fan-in (issue #3): a connected subscriber that is slower than its publishers
 * slows them down instead of losing messages from its bounded queue.
 */
class PublisherFlowTest {

    private static final int PUBLISHERS = 10;
    private static final int MESSAGES_EACH = 150;

    @Test
    void shouldDeliverEveryMessageAndPausePublishersWhenSubscriberIsSlowerThanFanIn() throws Exception {
        // given: a 100-message queue and a subscriber taking one message per round trip
        try (StandaloneBroker broker =
                givenABroker(Map.of("mecgw.mqtt.max-queued-messages", "100", "mecgw.mqtt.max-inflight", "20"))) {
            AtomicInteger received = new AtomicInteger();
            Mqtt5AsyncClient subscriber = givenASubscriber(broker.port(), 1);
            subscriber
                    .subscribeWith()
                    .topicFilter("flow/#")
                    .qos(MqttQos.AT_LEAST_ONCE)
                    .callback(p -> received.incrementAndGet())
                    .send()
                    .get(30, TimeUnit.SECONDS);
            List<Mqtt5AsyncClient> publishers = givenPublishers(broker.port());
            // when: each publisher floods QoS 1 messages as fast as its inflight window allows
            List<CompletableFuture<Mqtt5PublishResult>> acks = flood(publishers);
            // then: all acknowledged (so routed) with none dropped, the publishers paused, not disconnected
            CompletableFuture.allOf(acks.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
            assertThat(acks).allSatisfy(a -> assertThat(a.join().getError()).isEmpty());
            assertThat(broker.count("mecgw.mqtt.messages.dropped")).isZero();
            assertThat(broker.count("mecgw.mqtt.publishers.paused")).isPositive();
            assertThat(publishers)
                    .allSatisfy(p -> assertThat(p.getState().isConnected()).isTrue());
            // and every message arrives
            await().atMost(Duration.ofSeconds(30)).until(() -> received.get() >= PUBLISHERS * MESSAGES_EACH);
            assertThat(received.get()).isEqualTo(PUBLISHERS * MESSAGES_EACH);
        }
    }

    @Test
    void shouldResumePublishersAndDropOldestWhenSubscriberStallsPastPauseLimit() throws Exception {
        // given: a subscriber that never acknowledges, and a 300 ms pause limit
        try (StandaloneBroker broker = givenABroker(Map.of(
                "mecgw.mqtt.max-queued-messages",
                "100",
                "mecgw.mqtt.max-inflight",
                "20",
                "mecgw.mqtt.max-publisher-pause",
                "300ms"))) {
            Mqtt5AsyncClient stuck = givenASubscriber(broker.port(), 10);
            stuck.subscribeWith()
                    .topicFilter("flow/#")
                    .qos(MqttQos.AT_LEAST_ONCE)
                    .callback(p -> {})
                    .manualAcknowledgement(true)
                    .send()
                    .get(30, TimeUnit.SECONDS);
            List<Mqtt5AsyncClient> publishers = givenPublishers(broker.port());
            // when
            List<CompletableFuture<Mqtt5PublishResult>> acks = flood(publishers);
            // then: the publishers finish (not held forever), the stalled subscriber's queue dropped oldest
            CompletableFuture.allOf(acks.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
            assertThat(broker.count("mecgw.mqtt.subscribers.stalled")).isPositive();
            assertThat(broker.count("mecgw.mqtt.messages.dropped")).isPositive();
            assertThat(publishers)
                    .allSatisfy(p -> assertThat(p.getState().isConnected()).isTrue());
        }
    }

    @Test
    void shouldDropQos0InsteadOfBufferingWhenSubscriberDoesNotRead() throws Exception {
        // given: an MQTT 3.1.1 subscriber on a raw socket with a tiny receive buffer that never reads
        try (StandaloneBroker broker = givenABroker(Map.of());
                Socket stuck = new Socket()) {
            stuck.setReceiveBufferSize(4096);
            stuck.connect(new InetSocketAddress("127.0.0.1", broker.port()), 5000);
            stuck.setSoTimeout(10_000);
            stuck.getOutputStream()
                    .write(new byte[] {0x10, 16, 0, 4, 'M', 'Q', 'T', 'T', 4, 2, 0, 60, 0, 4, 's', 'l', 'o', 'w'});
            assertThat(stuck.getInputStream().readNBytes(4)).containsExactly(0x20, 2, 0, 0);
            stuck.getOutputStream().write(new byte[] {(byte) 0x82, 11, 0, 1, 0, 6, 's', 'l', 'o', 'w', '/', '#', 0});
            assertThat(stuck.getInputStream().readNBytes(5)).containsExactly(0x90, 3, 0, 1, 0);
            Mqtt5AsyncClient publisher = givenPublishers(broker.port()).get(0);
            // when: 30 MiB of QoS 0 messages are published to it
            List<CompletableFuture<Mqtt5PublishResult>> sent = new ArrayList<>();
            for (int i = 0; i < 3000; i++) {
                sent.add(publisher
                        .publishWith()
                        .topic("slow/x")
                        .qos(MqttQos.AT_MOST_ONCE)
                        .payload(new byte[10_240])
                        .send());
            }
            CompletableFuture.allOf(sent.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
            // then: what it cannot take is dropped and counted, and the broker keeps serving
            await().atMost(Duration.ofSeconds(20)).until(() -> broker.count("mecgw.mqtt.messages.dropped") > 0);
            assertThat(publisher
                            .publishWith()
                            .topic("other/x")
                            .qos(MqttQos.AT_LEAST_ONCE)
                            .send()
                            .get(10, TimeUnit.SECONDS)
                            .getError())
                    .isEmpty();
        }
    }

    private static Mqtt5AsyncClient givenASubscriber(int port, int receiveMaximum) throws Exception {
        Mqtt5AsyncClient subscriber = MqttClient.builder()
                .useMqttVersion5()
                .identifier("sub-" + UUID.randomUUID())
                .serverHost("127.0.0.1")
                .serverPort(port)
                .buildAsync();
        subscriber
                .connectWith()
                .restrictions()
                .receiveMaximum(receiveMaximum)
                .applyRestrictions()
                .send()
                .get(30, TimeUnit.SECONDS);
        return subscriber;
    }

    private static List<Mqtt5AsyncClient> givenPublishers(int port) throws Exception {
        List<Mqtt5AsyncClient> publishers = new ArrayList<>();
        for (int i = 0; i < PUBLISHERS; i++) {
            Mqtt5AsyncClient p = MqttClient.builder()
                    .useMqttVersion5()
                    .identifier("pub-" + UUID.randomUUID())
                    .serverHost("127.0.0.1")
                    .serverPort(port)
                    .buildAsync();
            p.connect().get(30, TimeUnit.SECONDS);
            publishers.add(p);
        }
        return publishers;
    }

    /** Hands every publish to the clients at once; each client sends as fast as the broker's receive maximum allows. */
    private static List<CompletableFuture<Mqtt5PublishResult>> flood(List<Mqtt5AsyncClient> publishers) {
        List<CompletableFuture<Mqtt5PublishResult>> acks = new ArrayList<>();
        for (int m = 0; m < MESSAGES_EACH; m++) {
            for (int p = 0; p < publishers.size(); p++) {
                acks.add(publishers
                        .get(p)
                        .publishWith()
                        .topic("flow/" + p)
                        .qos(MqttQos.AT_LEAST_ONCE)
                        .payload(new byte[64])
                        .send());
            }
        }
        return acks;
    }
}
