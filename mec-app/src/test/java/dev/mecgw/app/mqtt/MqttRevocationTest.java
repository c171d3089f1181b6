package dev.mecgw.app.mqtt;

import static dev.mecgw.app.mqtt.MqttFixtures.ADMIN;
import static dev.mecgw.app.mqtt.MqttFixtures.PASSWORD;
import static dev.mecgw.app.mqtt.MqttFixtures.givenDevice;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import com.hivemq.client.mqtt.mqtt5.message.connect.connack.Mqtt5ConnAckReasonCode;
import com.hivemq.client.mqtt.mqtt5.message.disconnect.Mqtt5DisconnectReasonCode;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import java.util.Map;
import java.util.UUID;
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
        WatchedConnection client = connected(device, PASSWORD);

        // when an operator deletes it
        given().header("Authorization", ADMIN)
                .delete("/api/v1/devices/" + device)
                .then()
                .statusCode(204);

        // then its connection is closed with "not authorized" and it cannot connect again
        assertThat(client.awaitDisconnectReason()).isEqualTo(Mqtt5DisconnectReasonCode.NOT_AUTHORIZED);
        assertThat(refusal(device, PASSWORD)).isEqualTo(Mqtt5ConnAckReasonCode.BAD_USER_NAME_OR_PASSWORD);
    }

    @Test
    void shouldDisconnectAndForgetTheOldPasswordWhenThePasswordChanges() {
        // given a connected device, whose password is now in the verified-password cache
        String device = givenDevice("sensor");
        WatchedConnection client = connected(device, PASSWORD);

        // when an operator gives it a new password
        given().header("Authorization", ADMIN)
                .contentType(ContentType.JSON)
                .body(Map.of("password", NEW_PASSWORD))
                .put("/api/v1/devices/" + device + "/credentials")
                .then()
                .statusCode(200);

        // then the live connection ends, the old password is refused and the new one connects
        assertThat(client.awaitDisconnectReason()).isEqualTo(Mqtt5DisconnectReasonCode.NOT_AUTHORIZED);
        assertThat(refusal(device, PASSWORD)).isEqualTo(Mqtt5ConnAckReasonCode.BAD_USER_NAME_OR_PASSWORD);
        connected(device, NEW_PASSWORD).disconnect();
    }

    private WatchedConnection connected(String device, String password) {
        return WatchedConnection.connect(broker.port(), device + "-" + UUID.randomUUID(), device, password);
    }

    private Mqtt5ConnAckReasonCode refusal(String device, String password) {
        return WatchedConnection.refusal(
                MqttFixtures.mqtt5(broker.port(), device + "-" + UUID.randomUUID()), device, password);
    }
}
