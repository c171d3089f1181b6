package dev.mecgw.app.mqtt;

import static dev.mecgw.app.mqtt.MqttFixtures.bytes;
import static dev.mecgw.app.mqtt.MqttFixtures.mqtt3;
import static dev.mecgw.app.mqtt.MqttFixtures.mqtt5;
import static dev.mecgw.app.mqtt.PahoClients.WAIT_MS;
import static dev.mecgw.app.mqtt.StandaloneBroker.givenABroker;
import static org.assertj.core.api.Assertions.assertThat;

import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt3.Mqtt3BlockingClient;
import com.hivemq.client.mqtt.mqtt3.exceptions.Mqtt3SubAckException;
import com.hivemq.client.mqtt.mqtt3.message.subscribe.suback.Mqtt3SubAck;
import com.hivemq.client.mqtt.mqtt3.message.subscribe.suback.Mqtt3SubAckReturnCode;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5PubAckException;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5SubAckException;
import com.hivemq.client.mqtt.mqtt5.message.publish.puback.Mqtt5PubAckReasonCode;
import com.hivemq.client.mqtt.mqtt5.message.subscribe.suback.Mqtt5SubAck;
import com.hivemq.client.mqtt.mqtt5.message.subscribe.suback.Mqtt5SubAckReasonCode;
import dev.mecgw.app.acl.AclRule;
import dev.mecgw.app.acl.AclRuleRequest;
import dev.mecgw.app.acl.AclRuleStore;
import dev.mecgw.app.acl.RuleBasedAccessPolicy;
import dev.mecgw.app.mqtt.PahoClients.Paho5;
import java.util.List;
import java.util.Map;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttSubscription;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 20 item 7 over the socket: ACL DENY rules for anonymous clients (the device side is in
 * {@code AclDenyRulesRestTest}); a denied filter gets 0x87 (MQTT 5) / 0x80 (3.1.1) while the other filters of the
 * same SUBSCRIBE succeed.
 */
class AclDenyRulesTest {

    private static final List<AclRule> RULES = List.of(
            new AclRule(1, null, AclRule.Action.SUBSCRIBE, "bench/private/#", AclRule.Effect.DENY, true),
            new AclRule(2, null, AclRule.Action.PUBLISH, "bench/readonly/#", AclRule.Effect.DENY, true));

    private StandaloneBroker broker;

    @BeforeEach
    void setUp() throws Exception {
        RuleBasedAccessPolicy policy = new RuleBasedAccessPolicy(new FixedRules());
        policy.reload();
        broker = givenABroker(Map.of(), policy);
    }

    @AfterEach
    void tearDown() throws Exception {
        broker.close();
    }

    @Test
    void shouldRefuseOnlyDeniedFilterWhenHiveMqV5ClientSubscribesToSeveral() {
        // given
        Mqtt5BlockingClient client = mqtt5(broker.port(), "deny-hive5");
        client.connect();
        // when
        Mqtt5SubAck ack;
        try {
            ack = client.subscribeWith()
                    .addSubscription()
                    .topicFilter("bench/public/#")
                    .qos(MqttQos.AT_LEAST_ONCE)
                    .applySubscription()
                    .addSubscription()
                    .topicFilter("bench/private/x")
                    .qos(MqttQos.AT_LEAST_ONCE)
                    .applySubscription()
                    .send();
        } catch (Mqtt5SubAckException e) {
            ack = e.getMqttMessage();
        }
        // then
        assertThat(ack.getReasonCodes())
                .containsExactly(Mqtt5SubAckReasonCode.GRANTED_QOS_1, Mqtt5SubAckReasonCode.NOT_AUTHORIZED);
        client.disconnect();
    }

    @Test
    void shouldRefuseOnlyDeniedFilterWhenPahoV5ClientSubscribesToSeveral() throws Exception {
        try (Paho5 paho = new Paho5(broker.port(), "deny-paho5").connect()) {
            // when
            IMqttToken token = paho.client.subscribe(
                    new MqttSubscription[] {
                        new MqttSubscription("bench/private/#", 1), new MqttSubscription("bench/public/a", 1)
                    },
                    null,
                    null,
                    new MqttProperties());
            try {
                token.waitForCompletion(WAIT_MS);
            } catch (MqttException e) {
                // Paho may report the refused filter as a failure; the codes are on the token.
            }
            // then
            assertThat(token.getReasonCodes()).containsExactly(0x87, 1);
        }
    }

    @Test
    void shouldAnswerFailureOnlyForDeniedFilterWhenMqtt311ClientsSubscribeToSeveral() throws Exception {
        // given
        Mqtt3BlockingClient hive = mqtt3(broker.port(), "deny-hive3");
        hive.connect();
        MqttAsyncClient paho =
                new MqttAsyncClient("tcp://127.0.0.1:" + broker.port(), "deny-paho3", new MemoryPersistence());
        paho.connect(new MqttConnectOptions()).waitForCompletion(WAIT_MS);
        // when
        Mqtt3SubAck ack;
        try {
            ack = hive.subscribeWith()
                    .addSubscription()
                    .topicFilter("bench/private/x")
                    .qos(MqttQos.AT_LEAST_ONCE)
                    .applySubscription()
                    .addSubscription()
                    .topicFilter("bench/public/x")
                    .qos(MqttQos.AT_LEAST_ONCE)
                    .applySubscription()
                    .send();
        } catch (Mqtt3SubAckException e) {
            ack = e.getMqttMessage();
        }
        var token = paho.subscribe(new String[] {"bench/public/y", "bench/private/y"}, new int[] {1, 1});
        try {
            token.waitForCompletion(WAIT_MS);
        } catch (org.eclipse.paho.client.mqttv3.MqttException e) {
            // The refused filter may surface as a failure; the granted QoS are on the token.
        }
        // then
        assertThat(ack.getReturnCodes())
                .containsExactly(Mqtt3SubAckReturnCode.FAILURE, Mqtt3SubAckReturnCode.SUCCESS_MAXIMUM_QOS_1);
        assertThat(token.getGrantedQos()).containsExactly(1, 0x80);
        hive.disconnect();
        paho.disconnect().waitForCompletion(WAIT_MS);
        paho.close();
    }

    @Test
    void shouldAnswerNotAuthorizedWhenAnonymousClientPublishesToDeniedTopic() throws Exception {
        // given
        Mqtt5BlockingClient client = mqtt5(broker.port(), "deny-publisher");
        client.connect();
        // when
        Mqtt5PubAckReasonCode refused;
        try {
            client.publishWith()
                    .topic("bench/readonly/x")
                    .payload(bytes("1"))
                    .qos(MqttQos.AT_LEAST_ONCE)
                    .send();
            refused = Mqtt5PubAckReasonCode.SUCCESS;
        } catch (Mqtt5PubAckException e) {
            refused = e.getMqttMessage().getReasonCode();
        }
        // then
        assertThat(refused).isEqualTo(Mqtt5PubAckReasonCode.NOT_AUTHORIZED);
        client.disconnect();
    }

    /** The rules above, as the store would list them. */
    private static final class FixedRules implements AclRuleStore {
        @Override
        public List<AclRule> list() {
            return RULES;
        }

        @Override
        public AclRule create(AclRuleRequest request) {
            throw new UnsupportedOperationException();
        }

        @Override
        public boolean delete(long id) {
            throw new UnsupportedOperationException();
        }
    }
}
