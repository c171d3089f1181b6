package dev.mecgw.app.mqtt;

import static dev.mecgw.app.mqtt.MqttFixtures.PASSWORD;
import static dev.mecgw.app.mqtt.MqttFixtures.bytes;
import static dev.mecgw.app.mqtt.MqttFixtures.givenDevice;
import static org.assertj.core.api.Assertions.assertThat;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.mqtt3.Mqtt3BlockingClient;
import com.hivemq.client.mqtt.mqtt3.message.connect.connack.Mqtt3ConnAckReturnCode;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.message.connect.connack.Mqtt5ConnAck;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 20 item 1: an empty client id gets a server-assigned one (MQTT 5 section 3.2.2.3.7), bound to the device
 * that authenticated (issue 15's binding), with two independent client libraries.
 */
@QuarkusTest
class AssignedClientIdTest {

    @Inject
    MqttBroker broker;

    int port;

    @BeforeEach
    void setUp() {
        port = broker.port();
    }

    @Test
    void shouldAssignIdBoundToDeviceWhenHiveMqV5ClientSendsEmptyId() {
        // given
        String device = givenDevice("sensor");
        Mqtt5BlockingClient client = MqttClient.builder()
                .useMqttVersion5()
                .serverHost("127.0.0.1")
                .serverPort(port)
                .buildBlocking();
        // when
        Mqtt5ConnAck connack = client.connectWith()
                .cleanStart(true)
                .simpleAuth()
                .username(device)
                .password(bytes(PASSWORD))
                .applySimpleAuth()
                .send();
        // then
        assertThat(connack.getAssignedClientIdentifier()).isPresent();
        String assigned = connack.getAssignedClientIdentifier().get().toString();
        assertThat(assigned).startsWith(device + "-").hasSizeGreaterThan(device.length() + 8);
        assertThat(broker.broker().session(assigned)).isNotNull();
        assertThat(broker.broker().session(assigned).principal().deviceId()).isEqualTo(device);
        client.disconnect();
    }

    @Test
    void shouldAssignDistinctIdsWhenPahoV5ClientsSendEmptyIds() throws Exception {
        // given
        String device = givenDevice("sensor");
        var first = pahoV5();
        var second = pahoV5();
        // when
        IMqttToken one = first.connectWithResult(pahoV5Options(device));
        IMqttToken two = second.connectWithResult(pahoV5Options(device));
        // then
        String a = one.getResponseProperties().getAssignedClientIdentifier();
        String b = two.getResponseProperties().getAssignedClientIdentifier();
        assertThat(a).startsWith(device + "-");
        assertThat(b).startsWith(device + "-").isNotEqualTo(a);
        assertThat(first.isConnected()).isTrue();
        assertThat(second.isConnected()).isTrue();
        first.disconnect();
        second.disconnect();
        first.close();
        second.close();
    }

    @Test
    void shouldAcceptEmptyIdWithCleanSessionWhenMqtt311ClientsConnect() throws Exception {
        // given
        String device = givenDevice("sensor");
        Mqtt3BlockingClient hive = MqttClient.builder()
                .useMqttVersion3()
                .serverHost("127.0.0.1")
                .serverPort(port)
                .buildBlocking();
        var paho =
                new org.eclipse.paho.client.mqttv3.MqttClient("tcp://127.0.0.1:" + port, "", new MemoryPersistence());
        MqttConnectOptions options = new MqttConnectOptions();
        options.setCleanSession(true);
        options.setUserName(device);
        options.setPassword(PASSWORD.toCharArray());
        // when
        var code = hive.connectWith()
                .cleanSession(true)
                .simpleAuth()
                .username(device)
                .password(bytes(PASSWORD))
                .applySimpleAuth()
                .send()
                .getReturnCode();
        paho.connect(options);
        // then: MQTT 3.1.1 section 3.1.3.1 lets the server assign an id; it cannot tell the client which
        assertThat(code).isEqualTo(Mqtt3ConnAckReturnCode.SUCCESS);
        assertThat(paho.isConnected()).isTrue();
        hive.disconnect();
        paho.disconnect();
        paho.close();
    }

    private org.eclipse.paho.mqttv5.client.MqttClient pahoV5() throws Exception {
        return new org.eclipse.paho.mqttv5.client.MqttClient(
                "tcp://127.0.0.1:" + port, "", new org.eclipse.paho.mqttv5.client.persist.MemoryPersistence());
    }

    private static MqttConnectionOptions pahoV5Options(String device) {
        MqttConnectionOptions options = new MqttConnectionOptions();
        options.setCleanStart(true);
        options.setUserName(device);
        options.setPassword(bytes(PASSWORD));
        return options;
    }
}
