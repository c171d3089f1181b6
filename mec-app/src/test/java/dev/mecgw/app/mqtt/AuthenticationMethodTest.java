package dev.mecgw.app.mqtt;

import static dev.mecgw.app.mqtt.MqttFixtures.mqtt5;
import static dev.mecgw.app.mqtt.StandaloneBroker.givenABroker;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.hivemq.client.mqtt.datatypes.MqttUtf8String;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5ClientConfig;
import com.hivemq.client.mqtt.mqtt5.auth.Mqtt5EnhancedAuthMechanism;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5ConnAckException;
import com.hivemq.client.mqtt.mqtt5.message.auth.Mqtt5Auth;
import com.hivemq.client.mqtt.mqtt5.message.auth.Mqtt5AuthBuilder;
import com.hivemq.client.mqtt.mqtt5.message.auth.Mqtt5EnhancedAuthBuilder;
import com.hivemq.client.mqtt.mqtt5.message.connect.Mqtt5Connect;
import com.hivemq.client.mqtt.mqtt5.message.connect.connack.Mqtt5ConnAck;
import com.hivemq.client.mqtt.mqtt5.message.connect.connack.Mqtt5ConnAckReasonCode;
import com.hivemq.client.mqtt.mqtt5.message.disconnect.Mqtt5Disconnect;
import dev.mecgw.app.mqtt.PahoClients.Paho5;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 20 gap: a CONNECT naming an Authentication Method gets CONNACK 0x8C "bad authentication method" (MQTT 5
 * sections 3.1.2.11.9, 4.12): the broker supports no enhanced authentication, only user name/password and client
 * certificates.
 */
class AuthenticationMethodTest {

    private static final int BAD_AUTHENTICATION_METHOD = 0x8C;

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
    void shouldRefuseWithBadAuthenticationMethodWhenPahoAsksForScram() throws Exception {
        // given
        MqttConnectionOptions options = new MqttConnectionOptions();
        options.setCleanStart(true);
        options.setAuthMethod("SCRAM-SHA-256");
        options.setAuthData(new byte[] {1, 2, 3});
        try (Paho5 paho = new Paho5(broker.port(), "auth-method-paho")) {
            // when
            MqttException refused = catchThrowableOfType(() -> paho.connect(options), MqttException.class);
            // then
            assertThat(refused.getReasonCode()).isEqualTo(BAD_AUTHENTICATION_METHOD);
            assertThat(paho.client.isConnected()).isFalse();
        }
    }

    @Test
    void shouldRefuseWithBadAuthenticationMethodWhenHiveMqUsesEnhancedAuth() {
        // given
        Mqtt5BlockingClient client = mqtt5(broker.port(), "auth-method-hive");
        // when
        Mqtt5ConnAckException refused = catchThrowableOfType(
                () -> client.connectWith()
                        .enhancedAuth(new UnsupportedMechanism())
                        .send(),
                Mqtt5ConnAckException.class);
        // then
        assertThat(refused.getMqttMessage().getReasonCode())
                .isEqualTo(Mqtt5ConnAckReasonCode.BAD_AUTHENTICATION_METHOD);
    }

    @Test
    void shouldStillAcceptWhenNoAuthenticationMethodIsNamed() throws Exception {
        try (Paho5 paho = new Paho5(broker.port(), "auth-method-none").connect()) {
            assertThat(paho.client.isConnected()).isTrue();
        }
    }

    /** An enhanced authentication the broker does not know: sends its method and data in CONNECT. */
    private static final class UnsupportedMechanism implements Mqtt5EnhancedAuthMechanism {
        @Override
        public MqttUtf8String getMethod() {
            return MqttUtf8String.of("SCRAM-SHA-1");
        }

        @Override
        public int getTimeout() {
            return 10;
        }

        @Override
        public CompletableFuture<Void> onAuth(
                Mqtt5ClientConfig config, Mqtt5Connect connect, Mqtt5EnhancedAuthBuilder auth) {
            auth.data(new byte[] {1, 2, 3});
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public CompletableFuture<Void> onReAuth(Mqtt5ClientConfig config, Mqtt5AuthBuilder auth) {
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public CompletableFuture<Boolean> onContinue(Mqtt5ClientConfig config, Mqtt5Auth auth, Mqtt5AuthBuilder next) {
            return CompletableFuture.completedFuture(false);
        }

        @Override
        public CompletableFuture<Boolean> onAuthSuccess(Mqtt5ClientConfig config, Mqtt5ConnAck connAck) {
            return CompletableFuture.completedFuture(false);
        }

        @Override
        public CompletableFuture<Boolean> onReAuthSuccess(Mqtt5ClientConfig config, Mqtt5Auth auth) {
            return CompletableFuture.completedFuture(false);
        }

        @Override
        public void onAuthRejected(Mqtt5ClientConfig config, Mqtt5ConnAck connAck) {
            // The test reads the CONNACK from the exception.
        }

        @Override
        public void onReAuthRejected(Mqtt5ClientConfig config, Mqtt5Disconnect disconnect) {
            // Never re-authenticates.
        }

        @Override
        public void onAuthError(Mqtt5ClientConfig config, Throwable cause) {
            // The test reads the failure from the exception.
        }

        @Override
        public void onReAuthError(Mqtt5ClientConfig config, Throwable cause) {
            // Never re-authenticates.
        }
    }
}
