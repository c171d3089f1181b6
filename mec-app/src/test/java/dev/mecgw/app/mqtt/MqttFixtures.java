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

/**
 * The MQTT test client helpers shared by the gateway's tests (broker, console, ingest): devices registered over REST
 * and HiveMQ clients of a broker on 127.0.0.1. {@code givenDevice} and {@code givenAclRule} need a running gateway (a
 * {@code @QuarkusTest}) whose admin token is {@code test-admin-token}; the clients work with any broker.
 */
public final class MqttFixtures {

    public static final String ADMIN = "Bearer test-admin-token";
    public static final String PASSWORD = "secret-password-1";

    private MqttFixtures() {}

    /** Registers a device with {@link #PASSWORD} and returns its (unique) id, {@code <type>-<8 hex digits>}. */
    public static String givenDevice(String type) {
        return givenDevice(type, type, PASSWORD);
    }

    /**
     * Registers a device of {@code type} that logs in with {@code password}.
     *
     * @return its unique id, {@code <prefix>-<8 hex digits>}
     */
    public static String givenDevice(String prefix, String type, String password) {
        String id = prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
        given().header("Authorization", ADMIN)
                .contentType(ContentType.JSON)
                .body(Map.of("id", id, "type", type, "credentials", Map.of("password", password)))
                .post("/api/v1/devices")
                .then()
                .statusCode(201);
        return id;
    }

    /** Adds an ACL rule letting {@code deviceType} {@code action} (PUBLISH, SUBSCRIBE) on {@code filter}. */
    public static long givenAclRule(String deviceType, String action, String filter) {
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

    /** A new, not yet connected MQTT 5 client of the broker on 127.0.0.1:{@code port}. */
    public static Mqtt5BlockingClient mqtt5(int port, String clientId) {
        return MqttClient.builder()
                .useMqttVersion5()
                .identifier(clientId)
                .serverHost("127.0.0.1")
                .serverPort(port)
                .buildBlocking();
    }

    /** Like {@link #mqtt5(int, String)}, connecting from {@code localAddress} (e.g. a UE pool's 127.0.0.x). */
    public static Mqtt5BlockingClient mqtt5From(String localAddress, int port, String clientId) {
        return MqttClient.builder()
                .useMqttVersion5()
                .identifier(clientId)
                .transportConfig()
                .serverHost("127.0.0.1")
                .serverPort(port)
                .localAddress(localAddress)
                .applyTransportConfig()
                .buildBlocking();
    }

    /** A new, not yet connected MQTT 3.1.1 client of the broker on 127.0.0.1:{@code port}. */
    public static Mqtt3BlockingClient mqtt3(int port, String clientId) {
        return MqttClient.builder()
                .useMqttVersion3()
                .identifier(clientId)
                .serverHost("127.0.0.1")
                .serverPort(port)
                .buildBlocking();
    }

    /** Device {@code deviceId} connected over MQTT 5 with {@link #PASSWORD}, under a fresh client id. */
    public static Mqtt5BlockingClient connected5(int port, String deviceId) {
        return connect(mqtt5(port, deviceId + "-" + UUID.randomUUID()), deviceId, PASSWORD);
    }

    /** Device {@code deviceId} connected over MQTT 3.1.1 with {@link #PASSWORD}, under a fresh client id. */
    public static Mqtt3BlockingClient connected3(int port, String deviceId) {
        Mqtt3BlockingClient client = mqtt3(port, deviceId + "-" + UUID.randomUUID());
        client.connectWith()
                .simpleAuth()
                .username(deviceId)
                .password(bytes(PASSWORD))
                .applySimpleAuth()
                .send();
        return client;
    }

    /**
     * Connects {@code client} (a clean start, no will) as {@code deviceId} with {@code password}.
     *
     * @return the same client, connected
     * @throws com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5ConnAckException when the broker refuses
     */
    public static Mqtt5BlockingClient connect(Mqtt5BlockingClient client, String deviceId, String password) {
        client.connectWith()
                .simpleAuth()
                .username(deviceId)
                .password(bytes(password))
                .applySimpleAuth()
                .send();
        return client;
    }

    /** The text of a publish that must have arrived. */
    public static String payloadOf(Optional<Mqtt5Publish> publish) {
        assertThat(publish).isPresent();
        return new String(publish.get().getPayloadAsBytes(), StandardCharsets.UTF_8);
    }

    /** @return {@code s} in UTF-8 */
    public static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
