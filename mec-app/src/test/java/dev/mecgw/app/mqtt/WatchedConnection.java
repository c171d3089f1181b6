package dev.mecgw.app.mqtt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5ConnAckException;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5DisconnectException;
import com.hivemq.client.mqtt.mqtt5.message.connect.connack.Mqtt5ConnAckReasonCode;
import com.hivemq.client.mqtt.mqtt5.message.disconnect.Mqtt5DisconnectReasonCode;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A device's MQTT 5 connection that remembers why the gateway closed it, and the CONNACK of a refused login: the
 * steps of the revocation tests (issue 15.9), in process ({@code MqttRevocationTest}) and against the packaged jar
 * ({@code IdentityAbuseIT}).
 */
public final class WatchedConnection {

    private final Mqtt5BlockingClient client;
    private final AtomicReference<Throwable> cause;

    private WatchedConnection(Mqtt5BlockingClient client, AtomicReference<Throwable> cause) {
        this.client = client;
        this.cause = cause;
    }

    /**
     * Connects {@code device} with {@code password} as client {@code clientId} to the broker on 127.0.0.1:{@code port}.
     */
    public static WatchedConnection connect(int port, String clientId, String device, String password) {
        AtomicReference<Throwable> cause = new AtomicReference<>();
        Mqtt5BlockingClient client = MqttClient.builder()
                .useMqttVersion5()
                .identifier(clientId)
                .serverHost("127.0.0.1")
                .serverPort(port)
                .addDisconnectedListener(context -> cause.set(context.getCause()))
                .buildBlocking();
        client.connectWith()
                .simpleAuth()
                .username(device)
                .password(password.getBytes(StandardCharsets.UTF_8))
                .applySimpleAuth()
                .send();
        return new WatchedConnection(client, cause);
    }

    /** Awaits the gateway's DISCONNECT (it must come within 10 s) and returns its reason code. */
    public Mqtt5DisconnectReasonCode awaitDisconnectReason() {
        await("DISCONNECT from the gateway").atMost(Duration.ofSeconds(10)).until(() -> cause.get() != null);
        assertThat(cause.get()).isInstanceOf(Mqtt5DisconnectException.class);
        return ((Mqtt5DisconnectException) cause.get()).getMqttMessage().getReasonCode();
    }

    /** Disconnects normally. */
    public void disconnect() {
        client.disconnect();
    }

    /** The reason code of the CONNACK refusing {@code device}'s login with {@code password} on an unconnected client. */
    public static Mqtt5ConnAckReasonCode refusal(Mqtt5BlockingClient unconnected, String device, String password) {
        Throwable refused = catchThrowable(() -> unconnected
                .connectWith()
                .simpleAuth()
                .username(device)
                .password(password.getBytes(StandardCharsets.UTF_8))
                .applySimpleAuth()
                .send());
        assertThat(refused).isInstanceOf(Mqtt5ConnAckException.class);
        return ((Mqtt5ConnAckException) refused).getMqttMessage().getReasonCode();
    }
}
