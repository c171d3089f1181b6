package dev.mecgw.app.mqtt;

import static dev.mecgw.app.mqtt.MqttFixtures.bytes;
import static dev.mecgw.app.mqtt.MqttFixtures.mqtt5;
import static dev.mecgw.app.mqtt.PahoClients.WAIT_MS;
import static dev.mecgw.app.mqtt.StandaloneBroker.givenABroker;
import static org.assertj.core.api.Assertions.assertThat;

import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import com.hivemq.client.mqtt.mqtt5.message.subscribe.Mqtt5RetainHandling;
import dev.mecgw.app.mqtt.PahoClients.Paho5;
import dev.mecgw.app.mqtt.PahoClients.Received;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.eclipse.paho.mqttv5.common.MqttSubscription;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 20 gaps: Retain Handling 0/1/2 and Retain As Published (MQTT 5 section 3.8.3.1) with HiveMQ and Paho. Each
 * check ends with a live marker publish: messages of one topic arrive in order, so a retained message that was
 * (wrongly) sent would arrive before the marker.
 */
class RetainHandlingTest {

    private StandaloneBroker broker;
    private Mqtt5BlockingClient publisher;

    @BeforeEach
    void setUp() throws Exception {
        broker = givenABroker(Map.of());
        publisher = mqtt5(broker.port(), "rh-publisher");
        publisher.connect();
    }

    @AfterEach
    void tearDown() throws Exception {
        publisher.disconnect();
        broker.close();
    }

    @Test
    void shouldSendRetainedPerRetainHandlingWhenPahoSubscribes() throws Exception {
        // given
        givenRetained("rh/paho/a");
        givenRetained("rh/paho/b");
        try (Paho5 paho = new Paho5(broker.port(), "rh-paho").connect()) {
            // when: 0 always sends, 1 only for a new subscription, 2 never
            subscribe(paho, "rh/paho/a", 0, false);
            assertThat(next(paho).topic()).isEqualTo("rh/paho/a");
            subscribe(paho, "rh/paho/a", 1, false);
            subscribe(paho, "rh/paho/b", 2, false);
            publisher.publishWith().topic("rh/paho/a").payload(bytes("marker")).send();
            // then: neither the existing subscription (1) nor the one with 2 got a retained copy
            Received marker = next(paho);
            assertThat(marker.topic()).isEqualTo("rh/paho/a");
            assertThat(new String(marker.message().getPayload())).isEqualTo("marker");
            subscribe(paho, "rh/paho/+", 1, false);
            assertThat(next(paho).message().isRetained()).isTrue();
            assertThat(next(paho).message().isRetained()).isTrue();
        }
    }

    @Test
    void shouldKeepRetainFlagOnlyWithRetainAsPublishedWhenPahoSubscribes() throws Exception {
        try (Paho5 asPublished = new Paho5(broker.port(), "rap-paho-yes").connect();
                Paho5 cleared = new Paho5(broker.port(), "rap-paho-no").connect()) {
            // given
            subscribe(asPublished, "rap/paho", 2, true);
            subscribe(cleared, "rap/paho", 2, false);
            // when: a retained message published while both are subscribed
            givenRetained("rap/paho");
            // then
            assertThat(next(asPublished).message().isRetained()).isTrue();
            assertThat(next(cleared).message().isRetained()).isFalse();
        }
    }

    @Test
    void shouldSendRetainedPerRetainHandlingWhenHiveMqSubscribes() {
        // given
        givenRetained("rh/hive/a");
        givenRetained("rh/hive/b");
        Mqtt5BlockingClient subscriber = mqtt5(broker.port(), "rh-hive");
        subscriber.connect();
        try (Mqtt5BlockingClient.Mqtt5Publishes publishes = subscriber.publishes(MqttGlobalPublishFilter.ALL)) {
            // when
            subscribe(subscriber, "rh/hive/a", Mqtt5RetainHandling.SEND, false);
            assertThat(next(publishes).getTopic().toString()).isEqualTo("rh/hive/a");
            subscribe(subscriber, "rh/hive/a", Mqtt5RetainHandling.SEND_IF_SUBSCRIPTION_DOES_NOT_EXIST, false);
            subscribe(subscriber, "rh/hive/b", Mqtt5RetainHandling.DO_NOT_SEND, false);
            publisher.publishWith().topic("rh/hive/b").payload(bytes("marker")).send();
            // then
            Mqtt5Publish marker = next(publishes);
            assertThat(marker.getTopic().toString()).isEqualTo("rh/hive/b");
            assertThat(marker.getPayloadAsBytes()).isEqualTo(bytes("marker"));
            subscribe(subscriber, "rh/hive/+", Mqtt5RetainHandling.SEND_IF_SUBSCRIPTION_DOES_NOT_EXIST, false);
            assertThat(next(publishes).isRetain()).isTrue();
            assertThat(next(publishes).isRetain()).isTrue();
        }
        subscriber.disconnect();
    }

    @Test
    void shouldKeepRetainFlagOnlyWithRetainAsPublishedWhenHiveMqSubscribes() {
        Mqtt5BlockingClient asPublished = mqtt5(broker.port(), "rap-hive-yes");
        Mqtt5BlockingClient cleared = mqtt5(broker.port(), "rap-hive-no");
        asPublished.connect();
        cleared.connect();
        try (Mqtt5BlockingClient.Mqtt5Publishes yes = asPublished.publishes(MqttGlobalPublishFilter.ALL);
                Mqtt5BlockingClient.Mqtt5Publishes no = cleared.publishes(MqttGlobalPublishFilter.ALL)) {
            // given
            subscribe(asPublished, "rap/hive", Mqtt5RetainHandling.DO_NOT_SEND, true);
            subscribe(cleared, "rap/hive", Mqtt5RetainHandling.DO_NOT_SEND, false);
            // when
            givenRetained("rap/hive");
            // then
            assertThat(next(yes).isRetain()).isTrue();
            assertThat(next(no).isRetain()).isFalse();
        }
        asPublished.disconnect();
        cleared.disconnect();
    }

    private void givenRetained(String topic) {
        publisher
                .publishWith()
                .topic(topic)
                .payload(bytes("kept"))
                .qos(MqttQos.AT_LEAST_ONCE)
                .retain(true)
                .send();
    }

    private static void subscribe(Paho5 paho, String filter, int retainHandling, boolean retainAsPublished)
            throws Exception {
        MqttSubscription subscription = new MqttSubscription(filter, 1);
        subscription.setRetainHandling(retainHandling);
        subscription.setRetainAsPublished(retainAsPublished);
        paho.client.subscribe(subscription).waitForCompletion(WAIT_MS);
    }

    private static void subscribe(
            Mqtt5BlockingClient client, String filter, Mqtt5RetainHandling handling, boolean retainAsPublished) {
        client.subscribeWith()
                .topicFilter(filter)
                .qos(MqttQos.AT_LEAST_ONCE)
                .retainHandling(handling)
                .retainAsPublished(retainAsPublished)
                .send();
    }

    private static Received next(Paho5 paho) throws InterruptedException {
        Received received = paho.received.poll(WAIT_MS, TimeUnit.MILLISECONDS);
        assertThat(received).as("a message within %d ms", WAIT_MS).isNotNull();
        return received;
    }

    private static Mqtt5Publish next(Mqtt5BlockingClient.Mqtt5Publishes publishes) {
        try {
            return publishes.receive(10, TimeUnit.SECONDS).orElseThrow();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
