package dev.mecgw.app.mqtt;

import static dev.mecgw.app.mqtt.MqttFixtures.bytes;
import static dev.mecgw.app.mqtt.MqttFixtures.mqtt5;
import static dev.mecgw.app.mqtt.PahoClients.WAIT_MS;
import static dev.mecgw.app.mqtt.StandaloneBroker.givenABroker;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.datatypes.Mqtt5UserProperty;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5PayloadFormatIndicator;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import dev.mecgw.app.mqtt.PahoClients.Paho5;
import dev.mecgw.app.mqtt.PahoClients.Received;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.eclipse.paho.mqttv5.common.packet.UserProperty;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 20 gaps: Message Expiry Interval (MQTT 5 section 3.3.2.3.3) on the broker's clock, and the publish
 * properties the broker forwards unchanged (User Properties, Payload Format Indicator, Content Type: sections
 * 3.3.2.3.7, 3.3.2.3.2, 3.3.2.3.9), each with HiveMQ and Paho on either end.
 */
class MessagePropertiesTest {

    private final TestClock clock = new TestClock();
    private StandaloneBroker broker;

    @BeforeEach
    void setUp() throws Exception {
        broker = givenABroker(Map.of(), clock, new MemorySessionStore());
    }

    @AfterEach
    void tearDown() throws Exception {
        broker.close();
    }

    @Test
    void shouldDropExpiredAndForwardRemainingIntervalWhenPahoSessionReconnects() throws Exception {
        // given: a Paho subscriber with a persistent session, offline
        try (Paho5 paho = new Paho5(broker.port(), "mexp-paho")) {
            paho.connect(persistentSession());
            paho.client.subscribe("mexp/paho/#", 1).waitForCompletion(WAIT_MS);
            paho.client.disconnect().waitForCompletion(WAIT_MS);
            Mqtt5BlockingClient publisher = mqtt5(broker.port(), "mexp-hive-pub");
            publisher.connect();
            publishExpiring(publisher, "mexp/paho/short", 10);
            publishExpiring(publisher, "mexp/paho/long", 60);
            publisher.disconnect();
            // when: 30 s pass on the broker's clock, then the client comes back
            clock.advance(Duration.ofSeconds(30));
            paho.connect(persistentSession());
            // then: the short-lived message, queued first, is gone; the other says how long it has left
            Received received = paho.received.poll(WAIT_MS, TimeUnit.MILLISECONDS);
            assertThat(received.topic()).isEqualTo("mexp/paho/long");
            assertThat(received.message().getProperties().getMessageExpiryInterval())
                    .isEqualTo(30L);
        }
    }

    @Test
    void shouldDropExpiredAndForwardRemainingIntervalWhenHiveMqSessionReconnects() throws Exception {
        // given: a HiveMQ subscriber with a persistent session, offline
        Mqtt5BlockingClient subscriber = mqtt5(broker.port(), "mexp-hive");
        subscriber.connectWith().cleanStart(false).sessionExpiryInterval(3600).send();
        subscriber
                .subscribeWith()
                .topicFilter("mexp/hive/#")
                .qos(MqttQos.AT_LEAST_ONCE)
                .send();
        subscriber.disconnect();
        try (Paho5 publisher = new Paho5(broker.port(), "mexp-paho-pub").connect()) {
            publishExpiring(publisher, "mexp/hive/short", 5);
            publishExpiring(publisher, "mexp/hive/long", 100);
        }
        // when
        clock.advance(Duration.ofSeconds(40));
        try (Mqtt5BlockingClient.Mqtt5Publishes publishes = subscriber.publishes(MqttGlobalPublishFilter.ALL)) {
            subscriber
                    .connectWith()
                    .cleanStart(false)
                    .sessionExpiryInterval(3600)
                    .send();
            // then
            Mqtt5Publish received = publishes.receive(10, TimeUnit.SECONDS).orElseThrow();
            assertThat(received.getTopic().toString()).isEqualTo("mexp/hive/long");
            assertThat(received.getMessageExpiryInterval()).hasValue(60);
        }
        subscriber.disconnect();
    }

    @Test
    void shouldForwardUserPropertiesFormatAndContentTypeWhenHiveMqPublishesToPaho() throws Exception {
        // given
        Mqtt5BlockingClient publisher = mqtt5(broker.port(), "props-hive-pub");
        publisher.connect();
        try (Paho5 paho = new Paho5(broker.port(), "props-paho-sub").connect()) {
            paho.client.subscribe("props/h2p", 1).waitForCompletion(WAIT_MS);
            // when
            publisher
                    .publishWith()
                    .topic("props/h2p")
                    .payload(bytes("{\"t\":1}"))
                    .qos(MqttQos.AT_LEAST_ONCE)
                    .payloadFormatIndicator(Mqtt5PayloadFormatIndicator.UTF_8)
                    .contentType("application/json")
                    .userProperties()
                    .add("site", "north")
                    .add("site", "south")
                    .add("unit", "°C")
                    .applyUserProperties()
                    .send();
            // then: the same properties, repeated keys and their order included
            MqttProperties props =
                    paho.received.poll(WAIT_MS, TimeUnit.MILLISECONDS).message().getProperties();
            assertThat(props.getPayloadFormat()).isTrue();
            assertThat(props.getContentType()).isEqualTo("application/json");
            assertThat(props.getUserProperties())
                    .extracting(UserProperty::getKey, UserProperty::getValue)
                    .containsExactly(tuple("site", "north"), tuple("site", "south"), tuple("unit", "°C"));
        }
        publisher.disconnect();
    }

    @Test
    void shouldForwardUserPropertiesFormatAndContentTypeWhenPahoPublishesToHiveMq() throws Exception {
        // given
        Mqtt5BlockingClient subscriber = mqtt5(broker.port(), "props-hive-sub");
        subscriber.connect();
        try (Mqtt5BlockingClient.Mqtt5Publishes publishes = subscriber.publishes(MqttGlobalPublishFilter.ALL);
                Paho5 paho = new Paho5(broker.port(), "props-paho-pub").connect()) {
            subscriber.subscribeWith().topicFilter("props/p2h").send();
            MqttProperties props = new MqttProperties();
            props.setPayloadFormat(false);
            props.setContentType("application/octet-stream");
            props.setUserProperties(List.of(new UserProperty("trace", "42"), new UserProperty("trace", "43")));
            MqttMessage message = new MqttMessage(new byte[] {0, (byte) 0xff});
            message.setQos(1);
            message.setProperties(props);
            // when
            paho.client.publish("props/p2h", message).waitForCompletion(WAIT_MS);
            // then: an explicit "unspecified bytes" indicator may be sent as 0 or left out (same meaning)
            Mqtt5Publish received = publishes.receive(10, TimeUnit.SECONDS).orElseThrow();
            assertThat(received.getPayloadFormatIndicator().orElse(Mqtt5PayloadFormatIndicator.UNSPECIFIED))
                    .isEqualTo(Mqtt5PayloadFormatIndicator.UNSPECIFIED);
            assertThat(received.getContentType().map(Object::toString)).hasValue("application/octet-stream");
            assertThat(received.getUserProperties().asList().stream().map(Object::toString))
                    .containsExactly(
                            Mqtt5UserProperty.of("trace", "42").toString(),
                            Mqtt5UserProperty.of("trace", "43").toString());
            assertThat(received.getPayloadAsBytes()).containsExactly(0, 0xff);
        }
        subscriber.disconnect();
    }

    private static MqttConnectionOptions persistentSession() {
        MqttConnectionOptions options = new MqttConnectionOptions();
        options.setCleanStart(false);
        options.setSessionExpiryInterval(3600L);
        return options;
    }

    private static void publishExpiring(Mqtt5BlockingClient publisher, String topic, long seconds) {
        publisher
                .publishWith()
                .topic(topic)
                .payload(bytes(topic))
                .qos(MqttQos.AT_LEAST_ONCE)
                .messageExpiryInterval(seconds)
                .send();
    }

    private static void publishExpiring(Paho5 publisher, String topic, long seconds) throws Exception {
        MqttProperties props = new MqttProperties();
        props.setMessageExpiryInterval(seconds);
        MqttMessage message = new MqttMessage(bytes(topic));
        message.setQos(1);
        message.setProperties(props);
        publisher.client.publish(topic, message).waitForCompletion(WAIT_MS);
    }
}
