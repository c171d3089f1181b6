package dev.mecgw.app.mqtt;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.mqtt3.Mqtt3BlockingClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import io.restassured.http.ContentType;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/** Shared fixture helpers for broker tests: devices over REST and connected HiveMQ clients. */
final class MqttFixtures {

    static final String ADMIN = "Bearer test-admin-token";
    static final String PASSWORD = "secret-password-1";

    private MqttFixtures() {}

    /** Registers a device with {@link #PASSWORD} and returns its (unique) id. */
    static String givenDevice(String type) {
        String id = type + "-" + UUID.randomUUID().toString().substring(0, 8);
        given().header("Authorization", ADMIN)
                .contentType(ContentType.JSON)
                .body(Map.of("id", id, "type", type, "credentials", Map.of("password", PASSWORD)))
                .post("/api/v1/devices")
                .then()
                .statusCode(201);
        return id;
    }

    static long givenAclRule(String deviceType, String action, String filter) {
        return given().header("Authorization", ADMIN)
                .contentType(ContentType.JSON)
                .body(Map.of("deviceType", deviceType, "action", action, "topicFilter", filter))
                .post("/api/v1/acl")
                .then()
                .statusCode(201)
                .extract()
                .jsonPath()
                .getLong("id");
    }

    static Mqtt5BlockingClient mqtt5(int port, String clientId) {
        return MqttClient.builder()
                .useMqttVersion5()
                .identifier(clientId)
                .serverHost("127.0.0.1")
                .serverPort(port)
                .buildBlocking();
    }

    static Mqtt3BlockingClient mqtt3(int port, String clientId) {
        return MqttClient.builder()
                .useMqttVersion3()
                .identifier(clientId)
                .serverHost("127.0.0.1")
                .serverPort(port)
                .buildBlocking();
    }

    static Mqtt5BlockingClient connected5(int port, String deviceId) {
        Mqtt5BlockingClient client = mqtt5(port, deviceId + "-" + UUID.randomUUID());
        client.connectWith()
                .simpleAuth()
                .username(deviceId)
                .password(bytes(PASSWORD))
                .applySimpleAuth()
                .send();
        return client;
    }

    /** The text of a publish that must have arrived. */
    static String payloadOf(Optional<Mqtt5Publish> publish) {
        assertThat(publish).isPresent();
        return new String(publish.get().getPayloadAsBytes(), StandardCharsets.UTF_8);
    }

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
