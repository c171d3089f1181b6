package dev.mecgw.app.mqtt;

import static dev.mecgw.app.mqtt.MqttFixtures.ADMIN;
import static dev.mecgw.app.mqtt.MqttFixtures.PASSWORD;
import static dev.mecgw.app.mqtt.MqttFixtures.bytes;
import static dev.mecgw.app.mqtt.MqttFixtures.givenDevice;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5ConnAckException;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5DisconnectException;
import com.hivemq.client.mqtt.mqtt5.message.connect.connack.Mqtt5ConnAckReasonCode;
import com.hivemq.client.mqtt.mqtt5.message.disconnect.Mqtt5DisconnectReasonCode;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * Issue 15, item 9 over MQTT: deleting a device or changing its password cuts its live connection at once
 * (DISCONNECT 0x87) and the old password stops working at once, not after the verified-password cache expires.
 */
@QuarkusTest
class MqttRevocationTest {

    private static final String NEW_PASSWORD = "new-password-22";

    @Inject
    MqttBroker broker;

    @Test
    void shouldDisconnectAndRefuseTheDeviceWhenItIsDeleted() {
        // given a connected device
        String device = givenDevice("sensor");
        AtomicReference<Throwable> cause = new AtomicReference<>();
        Mqtt5BlockingClient client = connected(device, PASSWORD, cause);

        // when an operator deletes it
        given().header("Authorization", ADMIN)
                .delete("/api/v1/devices/" + device)
                .then()
                .statusCode(204);

        // then its connection is closed with "not authorized" and it cannot connect again
        await().atMost(Duration.ofSeconds(10)).until(() -> !client.getState().isConnected());
        assertThat(reason(cause)).isEqualTo(Mqtt5DisconnectReasonCode.NOT_AUTHORIZED);
        assertThat(refusal(device, PASSWORD)).isEqualTo(Mqtt5ConnAckReasonCode.BAD_USER_NAME_OR_PASSWORD);
    }

    @Test
    void shouldDisconnectAndForgetTheOldPasswordWhenThePasswordChanges() {
        // given a connected device, whose password is now in the verified-password cache
        String device = givenDevice("sensor");
        AtomicReference<Throwable> cause = new AtomicReference<>();
        Mqtt5BlockingClient client = connected(device, PASSWORD, cause);

        // when an operator gives it a new password
        given().header("Authorization", ADMIN)
                .contentType(ContentType.JSON)
                .body(Map.of("password", NEW_PASSWORD))
                .put("/api/v1/devices/" + device + "/credentials")
                .then()
                .statusCode(200);

        // then the live connection ends, the old password is refused and the new one connects
        await().atMost(Duration.ofSeconds(10)).until(() -> !client.getState().isConnected());
        assertThat(reason(cause)).isEqualTo(Mqtt5DisconnectReasonCode.NOT_AUTHORIZED);
        assertThat(refusal(device, PASSWORD)).isEqualTo(Mqtt5ConnAckReasonCode.BAD_USER_NAME_OR_PASSWORD);
        connected(device, NEW_PASSWORD, new AtomicReference<>()).disconnect();
    }

    private Mqtt5BlockingClient connected(String device, String password, AtomicReference<Throwable> cause) {
        Mqtt5BlockingClient client = MqttClient.builder()
                .useMqttVersion5()
                .identifier(device + "-" + UUID.randomUUID())
                .serverHost("127.0.0.1")
                .serverPort(broker.port())
                .addDisconnectedListener(context -> cause.set(context.getCause()))
                .buildBlocking();
        client.connectWith()
                .simpleAuth()
                .username(device)
                .password(bytes(password))
                .applySimpleAuth()
                .send();
        return client;
    }

    private static Mqtt5DisconnectReasonCode reason(AtomicReference<Throwable> cause) {
        await().atMost(Duration.ofSeconds(10)).until(() -> cause.get() != null);
        assertThat(cause.get()).isInstanceOf(Mqtt5DisconnectException.class);
        return ((Mqtt5DisconnectException) cause.get()).getMqttMessage().getReasonCode();
    }

    private Mqtt5ConnAckReasonCode refusal(String device, String password) {
        Throwable refused = catchThrowable(() -> MqttFixtures.mqtt5(broker.port(), device + "-" + UUID.randomUUID())
                .connectWith()
                .simpleAuth()
                .username(device)
                .password(bytes(password))
                .applySimpleAuth()
                .send());
        assertThat(refused).isInstanceOf(Mqtt5ConnAckException.class);
        return ((Mqtt5ConnAckException) refused).getMqttMessage().getReasonCode();
    }
}
