package dev.mecgw.app.mqtt;

import static dev.mecgw.app.mqtt.MqttFixtures.bytes;
import static dev.mecgw.app.mqtt.MqttFixtures.mqtt3;
import static dev.mecgw.app.mqtt.MqttFixtures.mqtt5;
import static dev.mecgw.app.mqtt.PahoClients.WAIT_MS;
import static dev.mecgw.app.mqtt.StandaloneBroker.givenABroker;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt3.Mqtt3BlockingClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5PubAckException;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import com.hivemq.client.mqtt.mqtt5.message.publish.puback.Mqtt5PubAckReasonCode;
import dev.mecgw.app.mqtt.PahoClients.Paho5;
import dev.mecgw.app.mqtt.PahoClients.Received;
import dev.mecgw.app.mqtt.persistence.BrokerMessage;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 20 item 5: topics starting with '$' (MQTT 5 section 4.7.2): wildcard filters at the first level do not
 * match them, and clients cannot publish to them (MQTT 5: 0x90; MQTT 3.1.1: disconnect).
 */
class SystemTopicsTest {

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
    void shouldRefuseWithTopicNameInvalidWhenV5ClientsPublishToSys() throws Exception {
        // given
        Mqtt5BlockingClient hive = mqtt5(broker.port(), "sys-hive");
        hive.connect();
        try (Paho5 paho = new Paho5(broker.port(), "sys-paho").connect()) {
            // when
            Throwable refused = catchThrowable(() -> hive.publishWith()
                    .topic("$SYS/broker/uptime")
                    .payload(bytes("1"))
                    .qos(MqttQos.AT_LEAST_ONCE)
                    .send());
            int pahoCode = pahoPublishCode(paho, "$SYS/broker/clients");
            // then
            assertThat(((Mqtt5PubAckException) refused).getMqttMessage().getReasonCode())
                    .isEqualTo(Mqtt5PubAckReasonCode.TOPIC_NAME_INVALID);
            assertThat(pahoCode).isEqualTo(0x90);
            assertThat(hive.getState().isConnected()).isTrue();
        }
        hive.disconnect();
    }

    @Test
    void shouldDisconnectWhenMqtt311ClientsPublishToSys() throws Exception {
        // given
        Mqtt3BlockingClient hive = mqtt3(broker.port(), "sys-hive3");
        hive.connect();
        var paho = new org.eclipse.paho.client.mqttv3.MqttAsyncClient(
                "tcp://127.0.0.1:" + broker.port(), "sys-paho3", new MemoryPersistence());
        paho.connect(new MqttConnectOptions()).waitForCompletion(WAIT_MS);
        var message = new org.eclipse.paho.client.mqttv3.MqttMessage(bytes("1"));
        message.setQos(1);
        // when
        hive.toAsync()
                .publishWith()
                .topic("$SYS/x")
                .payload(bytes("1"))
                .qos(MqttQos.AT_LEAST_ONCE)
                .send();
        paho.publish("$SYS/y", message);
        // then
        await().atMost(10, TimeUnit.SECONDS).until(() -> !hive.getState().isConnected() && !paho.isConnected());
        paho.close(true);
    }

    @Test
    void shouldNotMatchSysTopicsWhenFiltersStartWithWildcards() throws Exception {
        // given
        Mqtt5BlockingClient hive = mqtt5(broker.port(), "sys-wild-hive");
        hive.connect();
        try (Paho5 paho = new Paho5(broker.port(), "sys-wild-paho").connect();
                Paho5 system = new Paho5(broker.port(), "sys-reader").connect();
                Mqtt5BlockingClient.Mqtt5Publishes publishes = hive.publishes(MqttGlobalPublishFilter.ALL)) {
            hive.subscribeWith().topicFilter("#").send();
            hive.subscribeWith().topicFilter("+/broker/load").send();
            paho.client.subscribe("#", 1).waitForCompletion(WAIT_MS);
            paho.client.subscribe("+/broker/load", 1).waitForCompletion(WAIT_MS);
            system.client.subscribe("$SYS/#", 1).waitForCompletion(WAIT_MS);
            // when: the gateway publishes a $SYS topic, then an ordinary one
            broker.broker
                    .broker()
                    .publishFromGateway(BrokerMessage.fromGateway("$SYS/broker/load", bytes("1"), 1, false));
            broker.broker
                    .broker()
                    .publishFromGateway(BrokerMessage.fromGateway("plain/sentinel", bytes("2"), 1, false));
            // then: messages keep their order, so the wildcard subscribers' first message is the sentinel
            Mqtt5Publish first = publishes.receive(10, TimeUnit.SECONDS).orElseThrow();
            Received pahoFirst = paho.received.poll(WAIT_MS, TimeUnit.MILLISECONDS);
            Received sys = system.received.poll(WAIT_MS, TimeUnit.MILLISECONDS);
            assertThat(first.getTopic().toString()).isEqualTo("plain/sentinel");
            assertThat(pahoFirst.topic()).isEqualTo("plain/sentinel");
            assertThat(sys.topic()).isEqualTo("$SYS/broker/load");
        }
        hive.disconnect();
    }

    /** The PUBACK reason code Paho reports for a QoS 1 publish. */
    private static int pahoPublishCode(Paho5 paho, String topic) throws MqttException {
        MqttMessage message = new MqttMessage(bytes("1"));
        message.setQos(1);
        IMqttToken token = paho.client.publish(topic, message);
        try {
            token.waitForCompletion(WAIT_MS);
        } catch (MqttException e) {
            return e.getReasonCode();
        }
        return token.getReasonCodes()[0];
    }
}
