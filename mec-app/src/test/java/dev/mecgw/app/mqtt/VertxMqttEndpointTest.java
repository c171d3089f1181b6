package dev.mecgw.app.mqtt;

import static dev.mecgw.app.mqtt.StandaloneBroker.givenABroker;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.mqtt3.Mqtt3BlockingClient;
import com.hivemq.client.mqtt.mqtt3.exceptions.Mqtt3ConnAckException;
import com.hivemq.client.mqtt.mqtt3.message.connect.connack.Mqtt3ConnAckReturnCode;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5ConnAckException;
import com.hivemq.client.mqtt.mqtt5.message.connect.connack.Mqtt5ConnAckReasonCode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class VertxMqttEndpointTest {

    @Test
    void shouldRefuseWithQuotaExceededAndCountWhenSourceAddressHasTooManyConnections() throws Exception {
        // given: at most three connections from one address, all three open from 127.0.0.1
        try (StandaloneBroker broker = givenABroker(Map.of("mecgw.mqtt.max-connections-per-address", "3"))) {
            List<Mqtt5BlockingClient> open = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                Mqtt5BlockingClient c = client5(broker.port());
                c.connect();
                open.add(c);
            }
            // when: a fourth connects over MQTT 5, and one over MQTT 3.1.1
            Throwable five = catchThrowable(() -> client5(broker.port()).connect());
            Mqtt3BlockingClient v3 = MqttClient.builder()
                    .useMqttVersion3()
                    .identifier("v3-" + UUID.randomUUID())
                    .serverHost("127.0.0.1")
                    .serverPort(broker.port())
                    .buildBlocking();
            Throwable three = catchThrowable(v3::connect);
            // then: quota exceeded (3.1.1: server unavailable), both counted
            assertThat(five).isInstanceOf(Mqtt5ConnAckException.class);
            assertThat(((Mqtt5ConnAckException) five).getMqttMessage().getReasonCode())
                    .isEqualTo(Mqtt5ConnAckReasonCode.QUOTA_EXCEEDED);
            assertThat(three).isInstanceOf(Mqtt3ConnAckException.class);
            assertThat(((Mqtt3ConnAckException) three).getMqttMessage().getReturnCode())
                    .isEqualTo(Mqtt3ConnAckReturnCode.SERVER_UNAVAILABLE);
            assertThat(broker.count("mecgw.mqtt.connections.refused", "reason", "per-address-limit"))
                    .isEqualTo(2);
            // and once one leaves, a new connection is admitted again
            open.remove(0).disconnect();
            await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() -> {
                Mqtt5BlockingClient again = client5(broker.port());
                again.connect();
                return open.add(again);
            });
            open.forEach(Mqtt5BlockingClient::disconnect);
        }
    }

    @Test
    void shouldCloseConnectionAndCountWhenPacketExceedsMaximumSize() throws Exception {
        // given: a 1 KiB packet limit and an MQTT 3.1.1 client (no maximum packet size of its own to honour)
        try (StandaloneBroker broker = givenABroker(Map.of("mecgw.mqtt.max-packet-size", "1024"))) {
            Mqtt3BlockingClient big = MqttClient.builder()
                    .useMqttVersion3()
                    .identifier("big-" + UUID.randomUUID())
                    .serverHost("127.0.0.1")
                    .serverPort(broker.port())
                    .buildBlocking();
            big.connect();
            // when
            big.publishWith().topic("site/big").payload(new byte[2048]).send();
            // then: closed and counted, while others keep connecting
            await().atMost(Duration.ofSeconds(30)).until(() -> !big.getState().isConnected());
            assertThat(broker.count("mecgw.mqtt.packets.refused", "reason", "too-large"))
                    .isEqualTo(1);
            Mqtt5BlockingClient other = client5(broker.port());
            other.connect();
            other.disconnect();
        }
    }

    private static Mqtt5BlockingClient client5(int port) {
        return MqttClient.builder()
                .useMqttVersion5()
                .identifier("limit-" + UUID.randomUUID())
                .serverHost("127.0.0.1")
                .serverPort(port)
                .buildBlocking();
    }
}
