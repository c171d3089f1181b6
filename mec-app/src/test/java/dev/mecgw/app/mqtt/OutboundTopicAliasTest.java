package dev.mecgw.app.mqtt;

import static dev.mecgw.app.mqtt.MqttFixtures.bytes;
import static dev.mecgw.app.mqtt.MqttFixtures.mqtt5;
import static dev.mecgw.app.mqtt.PahoClients.WAIT_MS;
import static dev.mecgw.app.mqtt.StandaloneBroker.givenABroker;
import static org.assertj.core.api.Assertions.assertThat;

import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import dev.mecgw.app.mqtt.PahoClients.Paho5;
import dev.mecgw.app.mqtt.PahoClients.Received;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 20 item 3: the broker does not use topic aliases towards clients (MQTT 5 section 3.3.2.3.4 lets it choose),
 * so a client announcing Topic Alias Maximum &gt; 0 gets every PUBLISH with its full topic name and no alias.
 * Inbound aliases are covered by {@code MqttFuzzTest}/{@code MqttConnectionTest}.
 */
class OutboundTopicAliasTest {

    private static final int MESSAGES = 5;

    private StandaloneBroker broker;

    @BeforeEach
    void setUp() throws Exception {
        broker = givenABroker(Map.of());
    }

    @AfterEach
    void tearDown() throws Exception {
        broker.close();
    }

    @Test
    void shouldSendFullTopicWithoutAliasWhenPahoClientAllowsAliases() throws Exception {
        // given
        Mqtt5BlockingClient publisher = mqtt5(broker.port(), "alias-publisher");
        publisher.connect();
        MqttConnectionOptions options = new MqttConnectionOptions();
        options.setCleanStart(true);
        options.setTopicAliasMaximum(10);
        try (Paho5 paho = new Paho5(broker.port(), "alias-paho").connect(options)) {
            paho.client.subscribe("alias/+", 1).waitForCompletion(WAIT_MS);
            // when
            for (int i = 0; i < MESSAGES; i++) {
                publisher
                        .publishWith()
                        .topic("alias/same")
                        .payload(bytes("m" + i))
                        .send();
            }
            // then
            for (int i = 0; i < MESSAGES; i++) {
                Received r = paho.received.poll(WAIT_MS, TimeUnit.MILLISECONDS);
                assertThat(r.topic()).isEqualTo("alias/same");
                assertThat(r.message().getProperties().getTopicAlias()).isNull();
                assertThat(new String(r.message().getPayload())).isEqualTo("m" + i);
            }
        }
        publisher.disconnect();
    }

    @Test
    void shouldDeliverEveryTopicIntactWhenHiveMqClientAllowsAliases() {
        // given
        Mqtt5BlockingClient publisher = mqtt5(broker.port(), "alias-hive-publisher");
        publisher.connect();
        Mqtt5BlockingClient subscriber = mqtt5(broker.port(), "alias-hive");
        subscriber
                .connectWith()
                .restrictions()
                .topicAliasMaximum(10)
                .applyRestrictions()
                .send();
        try (Mqtt5BlockingClient.Mqtt5Publishes publishes = subscriber.publishes(MqttGlobalPublishFilter.ALL)) {
            subscriber.subscribeWith().topicFilter("alias/#").send();
            // when
            for (int i = 0; i < MESSAGES; i++) {
                publisher
                        .publishWith()
                        .topic("alias/t" + (i % 2))
                        .payload(bytes("m" + i))
                        .send();
            }
            // then
            for (int i = 0; i < MESSAGES; i++) {
                Mqtt5Publish p = publishes.receive(10, TimeUnit.SECONDS).orElseThrow();
                assertThat(p.getTopic().toString()).isEqualTo("alias/t" + (i % 2));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        subscriber.disconnect();
        publisher.disconnect();
    }
}
