package dev.mecgw.app.mqtt;

import static dev.mecgw.app.mqtt.MqttFixtures.ADMIN;
import static dev.mecgw.app.mqtt.MqttFixtures.PASSWORD;
import static dev.mecgw.app.mqtt.MqttFixtures.bytes;
import static dev.mecgw.app.mqtt.MqttFixtures.givenDevice;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.MqttClientSslConfig;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5ConnAckException;
import com.hivemq.client.mqtt.mqtt5.message.connect.connack.Mqtt5ConnAckReasonCode;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import java.io.InputStream;
import java.nio.file.Files;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;
import java.util.UUID;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;

@QuarkusTest
@TestProfile(MqttTlsProfile.class)
class MqttTlsTest {

    @Inject
    MqttBroker broker;

    @Test
    void shouldAuthenticateWithPasswordOverTlsWhenServerCertificateIsTrusted() throws Exception {
        // given a device and a client that trusts only the gateway's certificate
        String device = givenDevice("sensor");
        Mqtt5BlockingClient client = tlsClient(device, false);
        // when / then
        assertThat(client.connectWith()
                        .simpleAuth()
                        .username(device)
                        .password(bytes(PASSWORD))
                        .applySimpleAuth()
                        .send()
                        .getReasonCode())
                .isEqualTo(Mqtt5ConnAckReasonCode.SUCCESS);
        client.disconnect();
    }

    @Test
    void shouldAuthenticateByCertificateFingerprintWhenRegistered() throws Exception {
        // given a device whose certificate fingerprint is registered, and one with an unregistered certificate
        String device = "tls-" + UUID.randomUUID().toString().substring(0, 8);
        Mqtt5BlockingClient unregistered = tlsClient(device, true);
        Throwable refused = catchThrowable(unregistered::connect);
        given().header("Authorization", ADMIN)
                .contentType(ContentType.JSON)
                .body(Map.of("id", device, "type", "sensor", "credentials", Map.of("x509Sha256", fingerprint())))
                .post("/api/v1/devices")
                .then()
                .statusCode(201);
        // when it connects with only its certificate (no username or password)
        Mqtt5BlockingClient client = tlsClient(device, true);
        // then it is accepted as that device, and may publish to its own telemetry topic
        assertThat(client.connect().getReasonCode()).isEqualTo(Mqtt5ConnAckReasonCode.SUCCESS);
        client.publishWith()
                .topic("devices/" + device + "/telemetry")
                .payload(bytes("{\"t\":1}"))
                .qos(com.hivemq.client.mqtt.datatypes.MqttQos.AT_LEAST_ONCE)
                .send();
        given().header("Authorization", ADMIN)
                .get("/api/v1/devices/" + device + "/telemetry")
                .then()
                .statusCode(200)
                .body("size()", org.hamcrest.Matchers.is(1));
        client.disconnect();
        assertThat(refused).isInstanceOf(Mqtt5ConnAckException.class);
        assertThat(((Mqtt5ConnAckException) refused).getMqttMessage().getReasonCode())
                .isIn(Mqtt5ConnAckReasonCode.NOT_AUTHORIZED, Mqtt5ConnAckReasonCode.BAD_USER_NAME_OR_PASSWORD);
    }

    private Mqtt5BlockingClient tlsClient(String id, boolean withClientCertificate) throws Exception {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("gateway", certificate("server.crt"));
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        var ssl = MqttClientSslConfig.builder().trustManagerFactory(tmf);
        if (withClientCertificate) {
            KeyStore keys = KeyStore.getInstance("PKCS12");
            keys.load(null, null);
            keys.setKeyEntry("device", privateKey("device.pk8"), new char[0], new java.security.cert.Certificate[] {
                certificate("device.crt")
            });
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(keys, new char[0]);
            ssl.keyManagerFactory(kmf);
        }
        return MqttClient.builder()
                .useMqttVersion5()
                .identifier(id + "-" + UUID.randomUUID())
                .serverHost("localhost")
                .serverPort(broker.tlsPort())
                .sslConfig(ssl.build())
                .buildBlocking();
    }

    private static String fingerprint() throws Exception {
        return HexFormat.of()
                .formatHex(MessageDigest.getInstance("SHA-256")
                        .digest(certificate("device.crt").getEncoded()));
    }

    private static X509Certificate certificate(String file) throws Exception {
        try (InputStream in = Files.newInputStream(MqttTlsProfile.DIR.resolve(file))) {
            return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
        }
    }

    private static PrivateKey privateKey(String file) throws Exception {
        String pem = Files.readString(MqttTlsProfile.DIR.resolve(file))
                .replaceAll("-----[A-Z ]+-----", "")
                .replaceAll("\\s", "");
        return KeyFactory.getInstance("EC")
                .generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(pem)));
    }
}
