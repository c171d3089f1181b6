package dev.mecgw.app.mqtt;

import static dev.mecgw.app.mqtt.StandaloneBroker.givenABroker;
import static org.assertj.core.api.Assertions.assertThat;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.message.connect.connack.Mqtt5ConnAck;
import dev.mecgw.app.mqtt.PahoClients.Paho5;
import java.io.InputStream;
import java.net.Socket;
import java.util.Map;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Issue 20 item 6: Server Keep Alive (MQTT 5 section 3.2.2.3.14) from {@code mecgw.mqtt.max-keep-alive}. */
class ServerKeepAliveTest {

    private StandaloneBroker broker;

    @AfterEach
    void tearDown() throws Exception {
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    void shouldAnswerServerKeepAliveWhenHiveMqClientAsksForMoreOrNone() throws Exception {
        // given
        broker = givenABrokerWithMaxKeepAlive("2s");

        // when
        Mqtt5ConnAck none = hive("ka-none").connectWith().keepAlive(0).send();
        Mqtt5ConnAck more = hive("ka-more").connectWith().keepAlive(600).send();
        Mqtt5ConnAck less = hive("ka-less").connectWith().keepAlive(1).send();
        // then
        assertThat(none.getServerKeepAlive()).hasValue(2);
        assertThat(more.getServerKeepAlive()).hasValue(2);
        assertThat(less.getServerKeepAlive()).isEmpty();
    }

    @Test
    void shouldAnswerServerKeepAliveAndStayConnectedWhenPahoClientAsksForMore() throws Exception {
        // given 5 s, not 2 s: the broker drops a client silent for 1.5 keep-alives, and a Paho ping timer firing
        // late on a loaded machine must not end the session this test expects to stay up
        broker = givenABrokerWithMaxKeepAlive("5s");
        MqttConnectionOptions options = new MqttConnectionOptions();
        options.setKeepAliveInterval(600);
        try (Paho5 paho = new Paho5(broker.port(), "ka-paho").connect(options)) {
            // then
            assertThat(paho.connackProperties().getServerKeepAlive()).isEqualTo(5);
            paho.client.subscribe("ka/x", 0).waitForCompletion(PahoClients.WAIT_MS);
            assertThat(paho.client.isConnected()).isTrue();
        }
    }

    @Test
    void shouldCloseConnectionWhenClientSendsNothingWithinServerKeepAlive() throws Exception {
        // given: an MQTT 5 CONNECT asking for no keep-alive at all
        broker = givenABrokerWithMaxKeepAlive("2s");
        try (Socket socket = new Socket("127.0.0.1", broker.port())) {
            socket.setSoTimeout(15_000);
            socket.getOutputStream().write(RawMqttPackets.connectV5("ka-raw", 0));
            InputStream in = socket.getInputStream();
            assertThat(in.read()).isEqualTo(0x20); // CONNACK
            // when: the client stays silent
            int last;
            do {
                last = in.read();
            } while (last >= 0);
            // then: the broker closed the connection (a read timeout would have thrown instead)
            assertThat(last).isEqualTo(-1);
        }
    }

    private static StandaloneBroker givenABrokerWithMaxKeepAlive(String maxKeepAlive) throws Exception {
        return givenABroker(Map.of("mecgw.mqtt.max-keep-alive", maxKeepAlive));
    }

    private Mqtt5BlockingClient hive(String clientId) {
        return MqttClient.builder()
                .useMqttVersion5()
                .identifier(clientId)
                .serverHost("127.0.0.1")
                .serverPort(broker.port())
                .buildBlocking();
    }
}
