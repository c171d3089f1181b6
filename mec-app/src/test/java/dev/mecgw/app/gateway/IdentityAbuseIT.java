package dev.mecgw.app.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt3.exceptions.Mqtt3ConnAckException;
import com.hivemq.client.mqtt.mqtt3.message.connect.connack.Mqtt3ConnAckReturnCode;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5ConnAckException;
import com.hivemq.client.mqtt.mqtt5.message.connect.connack.Mqtt5ConnAckReasonCode;
import com.hivemq.client.mqtt.mqtt5.message.disconnect.Mqtt5DisconnectReasonCode;
import dev.mecgw.app.coap.TestCertificates;
import dev.mecgw.app.mqtt.MqttTlsProfile;
import dev.mecgw.app.mqtt.WatchedConnection;
import java.nio.charset.StandardCharsets;
import java.security.KeyStore;
import java.time.Duration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Issue 15, items 8, 9 and 11 against the packaged jar: a device holding valid credentials of its own cannot take
 * another device's client id; a deleted or re-keyed device is cut off at once; an expired registered client
 * certificate is refused. The {@link WellBehavedDevices} keep publishing throughout. Attackers connect from
 * 127.0.0.5 so that their failed logins count against that address only.
 */
@ExtendWith(AbuseGateway.Shared.class)
class IdentityAbuseIT {

    private static final String ATTACKER = "127.0.0.5";

    private static AbuseGateway gateway;

    @BeforeAll
    static void givenTheGateway(AbuseGateway shared) {
        gateway = shared;
    }

    @Test
    void shouldRefuseAnotherDevicesClientIdAndKeepTheOwnersSession() throws Exception {
        // given (item 8): device A connected with a persistent session under its own id
        long before = gateway.rssKib();
        double refused = gateway.metric("mecgw_mqtt_connections_refused_total{reason=\"client-id-not-bound\"");
        String owner = gateway.givenDevice("owner", "sensor");
        String intruder = gateway.givenDevice("intruder", "sensor");
        Mqtt5BlockingClient a = gateway.mqtt5From("127.0.0.1", owner);
        persistent(a, owner);
        try (WellBehavedDevices good = new WellBehavedDevices(gateway, "takeover")) {
            // when device B, with its own valid credentials, presents A's client id over MQTT 5 and 3.1.1
            Throwable five = catchThrowable(() -> gateway.mqtt5From(ATTACKER, owner)
                    .connectWith()
                    .cleanStart(true)
                    .simpleAuth()
                    .username(intruder)
                    .password(bytes(AbuseGateway.PASSWORD))
                    .applySimpleAuth()
                    .send());
            Throwable three = catchThrowable(() -> gateway.mqtt3From(ATTACKER, owner)
                    .connectWith()
                    .simpleAuth()
                    .username(intruder)
                    .password(bytes(AbuseGateway.PASSWORD))
                    .applySimpleAuth()
                    .send());
            // then 0x85 "client identifier not valid" / 0x02 "identifier rejected", counted
            assertThat(five)
                    .as("MQTT 5 CONNACK for another device's client id")
                    .isInstanceOf(Mqtt5ConnAckException.class);
            assertThat(three)
                    .as("MQTT 3.1.1 CONNACK for another device's client id")
                    .isInstanceOf(Mqtt3ConnAckException.class);
            assertThat(((Mqtt5ConnAckException) five).getMqttMessage().getReasonCode())
                    .isEqualTo(Mqtt5ConnAckReasonCode.CLIENT_IDENTIFIER_NOT_VALID);
            assertThat(((Mqtt3ConnAckException) three).getMqttMessage().getReturnCode())
                    .isEqualTo(Mqtt3ConnAckReturnCode.IDENTIFIER_REJECTED);
            assertThat(gateway.metric("mecgw_mqtt_connections_refused_total{reason=\"client-id-not-bound\""))
                    .isGreaterThanOrEqualTo(refused + 2);
            // and A is still connected and served, and its persistent session survives a reconnect
            assertThat(a.getState().isConnected()).isTrue();
            a.publishWith()
                    .topic("devices/" + owner + "/telemetry")
                    .payload(bytes("{\"takeover\":1}"))
                    .qos(MqttQos.AT_LEAST_ONCE)
                    .send();
            a.disconnect();
            assertThat(persistent(a, owner)).as("session present").isTrue();
            assertThat(gateway.stored(owner, "takeover")).isEqualTo(1);
            good.finish();
        } finally {
            if (a.getState().isConnected()) {
                // Quietly: after a failed assertion above, the connection may be gone already.
                a.toAsync().disconnect();
            }
        }
        gateway.report("client-id takeover (MQTT 5 and 3.1.1)", before);
    }

    @Test
    void shouldCutOffADeletedDeviceAndAReKeyedDeviceAtOnce() throws Exception {
        // given (item 9): two connected devices, whose passwords are now in the verified-password cache
        long before = gateway.rssKib();
        String deleted = gateway.givenDevice("deleted", "sensor");
        String rekeyed = gateway.givenDevice("rekeyed", "sensor");
        WatchedConnection first = connected(deleted, AbuseGateway.PASSWORD);
        WatchedConnection second = connected(rekeyed, AbuseGateway.PASSWORD);
        try (WellBehavedDevices good = new WellBehavedDevices(gateway, "revocation")) {
            // when an operator deletes one and gives the other a new password
            assertThat(gateway.process()
                            .delete("/api/v1/devices/" + deleted, AbuseGateway.TOKEN)
                            .statusCode())
                    .isEqualTo(204);
            assertThat(gateway.process()
                            .put(
                                    "/api/v1/devices/" + rekeyed + "/credentials",
                                    AbuseGateway.TOKEN,
                                    "{\"password\":\"new-password-15\"}")
                            .statusCode())
                    .isEqualTo(200);
            // then both live connections end with "not authorized", and it shows in the log
            assertThat(first.awaitDisconnectReason()).isEqualTo(Mqtt5DisconnectReasonCode.NOT_AUTHORIZED);
            assertThat(second.awaitDisconnectReason()).isEqualTo(Mqtt5DisconnectReasonCode.NOT_AUTHORIZED);
            assertThat(gateway.process().logText())
                    .contains("Closing live sessions of device " + deleted)
                    .contains("Closing live sessions of device " + rekeyed);
            // and the old password works for neither, the new one for the re-keyed device
            assertThat(refusal(deleted, AbuseGateway.PASSWORD))
                    .isEqualTo(Mqtt5ConnAckReasonCode.BAD_USER_NAME_OR_PASSWORD);
            assertThat(refusal(rekeyed, AbuseGateway.PASSWORD))
                    .isEqualTo(Mqtt5ConnAckReasonCode.BAD_USER_NAME_OR_PASSWORD);
            connected(rekeyed, "new-password-15").disconnect();
            good.finish();
        }
        gateway.report("revocation (delete and re-key while connected)", before);
    }

    @Test
    void shouldRefuseAnExpiredRegisteredCertificateWithAnEvent() throws Exception {
        // given (item 11): a device registered with the fingerprint of a certificate that expired nine days ago
        long before = gateway.rssKib();
        String device = "expired-" + java.util.UUID.randomUUID().toString().substring(0, 8);
        KeyStore.PrivateKeyEntry expired = TestCertificates.create(gateway.tlsDir(), device, "-10d", 1);
        String body = "{\"id\":\"" + device + "\",\"type\":\"sensor\",\"credentials\":{\"x509Sha256\":\""
                + TestCertificates.fingerprint(expired) + "\"}}";
        assertThat(gateway.process()
                        .post("/api/v1/devices", AbuseGateway.TOKEN, body)
                        .statusCode())
                .isEqualTo(201);
        try (WellBehavedDevices good = new WellBehavedDevices(gateway, "certificate")) {
            // when it connects over TLS with that certificate
            Throwable refused = catchThrowable(() -> tlsClient(device, expired).connect());
            // then it is not authorized, and the operator sees why
            assertThat(refused).isInstanceOf(Mqtt5ConnAckException.class);
            assertThat(((Mqtt5ConnAckException) refused).getMqttMessage().getReasonCode())
                    .isEqualTo(Mqtt5ConnAckReasonCode.NOT_AUTHORIZED);
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> gateway.events(device, "credentials.certificate-refused").stream()
                            .anyMatch(payload -> payload.contains("\"expired\"")));
            good.finish();
        }
        gateway.report("expired client certificate", before);
    }

    /** Connects {@code client} as {@code owner} with a persistent session; whether a session was present. */
    private static boolean persistent(Mqtt5BlockingClient client, String owner) {
        return client.connectWith()
                .cleanStart(false)
                .sessionExpiryInterval(3600)
                .simpleAuth()
                .username(owner)
                .password(bytes(AbuseGateway.PASSWORD))
                .applySimpleAuth()
                .send()
                .isSessionPresent();
    }

    private static WatchedConnection connected(String device, String password) {
        return WatchedConnection.connect(gateway.mqttPort(), device, device, password);
    }

    private static Mqtt5ConnAckReasonCode refusal(String device, String password) {
        return WatchedConnection.refusal(gateway.mqtt5From(ATTACKER, device), device, password);
    }

    /** An MQTT 5 client over TLS presenting {@code identity}, trusting only the gateway's certificate. */
    private static Mqtt5BlockingClient tlsClient(String device, KeyStore.PrivateKeyEntry identity) throws Exception {
        return MqttClient.builder()
                .useMqttVersion5()
                .identifier(device)
                .serverHost("localhost")
                .serverPort(gateway.mqttTlsPort())
                .sslConfig(MqttTlsProfile.clientSsl(gateway.tlsDir().resolve("server.crt"), identity))
                .buildBlocking();
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
