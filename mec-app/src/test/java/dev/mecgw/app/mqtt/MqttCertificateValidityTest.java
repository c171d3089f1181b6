package dev.mecgw.app.mqtt;

import static dev.mecgw.app.mqtt.MqttFixtures.ADMIN;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5ConnAckException;
import com.hivemq.client.mqtt.mqtt5.message.connect.connack.Mqtt5ConnAckReasonCode;
import dev.mecgw.app.coap.TestCertificates;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import java.security.KeyStore;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/**
 * Issue 15, items 11 and 9 over MQTT/TLS: a registered client certificate must also be within its validity dates
 * (an expired one is refused with a {@code credentials.certificate-refused} event), and registering another
 * certificate for a device ends the connection made with the old one.
 */
@QuarkusTest
@TestProfile(MqttTlsProfile.class)
class MqttCertificateValidityTest {

    @Inject
    MqttBroker broker;

    @Inject
    DataSource dataSource;

    @Test
    void shouldRefuseNotAuthorizedWithAnEventWhenTheRegisteredCertificateExpired() throws Exception {
        // given a device registered with the fingerprint of a certificate that expired nine days ago
        String device = "expired-" + UUID.randomUUID().toString().substring(0, 8);
        KeyStore.PrivateKeyEntry expired = TestCertificates.create(MqttTlsProfile.DIR, device, "-10d", 1);
        register(device, TestCertificates.fingerprint(expired));

        // when it connects with that certificate
        Throwable refused = catchThrowable(() -> client(device, expired).connect());

        // then it is not authorized, and the operator sees why
        assertThat(refused).isInstanceOf(Mqtt5ConnAckException.class);
        assertThat(((Mqtt5ConnAckException) refused).getMqttMessage().getReasonCode())
                .isEqualTo(Mqtt5ConnAckReasonCode.NOT_AUTHORIZED);
        await().atMost(Duration.ofSeconds(10))
                .until(() ->
                        refusalEvent(device) != null && refusalEvent(device).contains("\"expired\""));
    }

    @Test
    void shouldDisconnectTheOldCertificatesConnectionWhenAnotherCertificateIsRegistered() throws Exception {
        // given a device connected with its valid registered certificate
        String device = "rekey-" + UUID.randomUUID().toString().substring(0, 8);
        KeyStore.PrivateKeyEntry old = TestCertificates.create(MqttTlsProfile.DIR, device, "-1d", 3);
        register(device, TestCertificates.fingerprint(old));
        Mqtt5BlockingClient live = client(device, old);
        assertThat(live.connect().getReasonCode()).isEqualTo(Mqtt5ConnAckReasonCode.SUCCESS);

        // when the operator registers a new certificate for it
        KeyStore.PrivateKeyEntry fresh = TestCertificates.create(MqttTlsProfile.DIR, device + "-new", "-1d", 3);
        given().header("Authorization", ADMIN)
                .contentType(ContentType.JSON)
                .body(Map.of("x509Sha256", TestCertificates.fingerprint(fresh)))
                .put("/api/v1/devices/" + device + "/credentials")
                .then()
                .statusCode(200);

        // then the connection made with the old certificate ends
        await().atMost(Duration.ofSeconds(10)).until(() -> !live.getState().isConnected());
    }

    private static void register(String device, String fingerprint) {
        given().header("Authorization", ADMIN)
                .contentType(ContentType.JSON)
                .body(Map.of("id", device, "type", "sensor", "credentials", Map.of("x509Sha256", fingerprint)))
                .post("/api/v1/devices")
                .then()
                .statusCode(201);
    }

    private String refusalEvent(String device) throws Exception {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement(
                        "SELECT payload::text FROM events WHERE device_id = ? AND kind = 'credentials.certificate-refused'")) {
            ps.setString(1, device);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        }
    }

    private Mqtt5BlockingClient client(String device, KeyStore.PrivateKeyEntry identity) throws Exception {
        return MqttClient.builder()
                .useMqttVersion5()
                .identifier(device + "-" + UUID.randomUUID())
                .serverHost("localhost")
                .serverPort(broker.tlsPort())
                .sslConfig(MqttTlsProfile.clientSsl(MqttTlsProfile.DIR.resolve("server.crt"), identity))
                .buildBlocking();
    }
}
