package dev.mecgw.app.mqtt;

import static dev.mecgw.app.mqtt.MqttFixtures.ADMIN;
import static dev.mecgw.app.mqtt.MqttFixtures.bytes;
import static dev.mecgw.app.mqtt.MqttFixtures.connected5;
import static dev.mecgw.app.mqtt.MqttFixtures.givenDevice;
import static dev.mecgw.app.mqtt.PahoClients.WAIT_MS;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5PubAckException;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5SubAckException;
import com.hivemq.client.mqtt.mqtt5.message.publish.puback.Mqtt5PubAckReasonCode;
import com.hivemq.client.mqtt.mqtt5.message.subscribe.suback.Mqtt5SubAck;
import com.hivemq.client.mqtt.mqtt5.message.subscribe.suback.Mqtt5SubAckReasonCode;
import dev.mecgw.app.mqtt.PahoClients.Paho5;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import java.util.Map;
import java.util.UUID;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttSubscription;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Issue 20 item 7: DENY rules through {@code /api/v1/acl} (validated, problem+json) and their effect on devices. */
@QuarkusTest
class AclDenyRulesRestTest {

    @Inject
    MqttBroker broker;

    int port;

    @BeforeEach
    void setUp() {
        port = broker.port();
    }

    @Test
    void shouldRefuseDeniedFilterAndTopicWhileOthersSucceedWhenDeviceTypeHasDenyRules() throws Exception {
        // given: a type of its own, so that the rules touch no other test
        String type = "deny" + UUID.randomUUID().toString().substring(0, 6);
        givenRule(type, "SUBSCRIBE", "site/" + type + "/#", "ALLOW");
        givenRule(type, "SUBSCRIBE", "site/" + type + "/secret/#", "DENY");
        givenRule(type, "PUBLISH", "site/" + type + "/#", "ALLOW");
        givenRule(type, "PUBLISH", "site/" + type + "/secret/#", "DENY");
        String device = givenDevice(type);
        Mqtt5BlockingClient hive = connected5(port, device);
        // when
        Mqtt5SubAck ack;
        try {
            ack = hive.subscribeWith()
                    .addSubscription()
                    .topicFilter("site/" + type + "/open/#")
                    .applySubscription()
                    .addSubscription()
                    .topicFilter("site/" + type + "/secret/a")
                    .applySubscription()
                    .send();
        } catch (Mqtt5SubAckException e) {
            ack = e.getMqttMessage();
        }
        Mqtt5PubAckReasonCode published = publish(hive, "site/" + type + "/open/a");
        Mqtt5PubAckReasonCode refused = publish(hive, "site/" + type + "/secret/a");
        IMqttToken pahoAck;
        try (Paho5 paho = new Paho5(port, device + "-paho").connect(pahoOptions(device))) {
            pahoAck = paho.client.subscribe(
                    new MqttSubscription[] {
                        new MqttSubscription("site/" + type + "/secret/#", 1),
                        new MqttSubscription("site/" + type + "/open/b", 1)
                    },
                    null,
                    null,
                    new MqttProperties());
            try {
                pahoAck.waitForCompletion(WAIT_MS);
            } catch (MqttException e) {
                // The refused filter may surface as a failure; the codes are on the token.
            }
        }
        // then
        assertThat(ack.getReasonCodes())
                .containsExactly(Mqtt5SubAckReasonCode.GRANTED_QOS_2, Mqtt5SubAckReasonCode.NOT_AUTHORIZED);
        assertThat(published).isEqualTo(Mqtt5PubAckReasonCode.SUCCESS);
        assertThat(refused).isEqualTo(Mqtt5PubAckReasonCode.NOT_AUTHORIZED);
        assertThat(pahoAck.getReasonCodes()).containsExactly(0x87, 1);
        hive.disconnect();
    }

    @Test
    void shouldAnswerProblemNamingFieldWhenRuleIsInvalid() {
        // then: unknown effect
        post(Map.of("action", "PUBLISH", "topicFilter", "a/b", "effect", "MAYBE"))
                .statusCode(400)
                .contentType("application/problem+json")
                .body("errors.field", hasItem("effect"));
        // and: an ALLOW rule for anonymous clients
        post(Map.of("action", "PUBLISH", "topicFilter", "a/b", "effect", "ALLOW", "anonymous", true))
                .statusCode(400)
                .contentType("application/problem+json")
                .body("errors.field", hasItem("effect"));
        // and: a device type on a rule for anonymous clients
        post(Map.of(
                        "deviceType",
                        "sensor",
                        "action",
                        "PUBLISH",
                        "topicFilter",
                        "a/b",
                        "effect",
                        "DENY",
                        "anonymous",
                        true))
                .statusCode(400)
                .contentType("application/problem+json")
                .body("errors.field", hasItem("deviceType"));
        // and: a valid DENY rule for anonymous clients is stored with its effect
        long id = post(Map.of("action", "SUBSCRIBE", "topicFilter", "deny/anon/#", "effect", "DENY", "anonymous", true))
                .statusCode(201)
                .body("effect", equalTo("DENY"))
                .body("anonymous", equalTo(true))
                .extract()
                .jsonPath()
                .getLong("id");
        given().header("Authorization", ADMIN)
                .delete("/api/v1/acl/" + id)
                .then()
                .statusCode(204);
    }

    private static io.restassured.response.ValidatableResponse post(Map<String, Object> body) {
        return given().header("Authorization", ADMIN)
                .contentType(ContentType.JSON)
                .body(body)
                .post("/api/v1/acl")
                .then();
    }

    private static void givenRule(String type, String action, String filter, String effect) {
        post(Map.of("deviceType", type, "action", action, "topicFilter", filter, "effect", effect))
                .statusCode(201);
    }

    private static Mqtt5PubAckReasonCode publish(Mqtt5BlockingClient client, String topic) {
        try {
            client.publishWith()
                    .topic(topic)
                    .payload(bytes("{}"))
                    .qos(MqttQos.AT_LEAST_ONCE)
                    .send();
            return Mqtt5PubAckReasonCode.SUCCESS;
        } catch (Mqtt5PubAckException e) {
            return e.getMqttMessage().getReasonCode();
        }
    }

    private static MqttConnectionOptions pahoOptions(String device) {
        MqttConnectionOptions options = new MqttConnectionOptions();
        options.setUserName(device);
        options.setPassword(bytes(MqttFixtures.PASSWORD));
        return options;
    }
}
