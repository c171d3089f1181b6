package dev.mecgw.devices.e2e;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.eclipse.californium.core.CoapClient;
import org.eclipse.californium.core.config.CoapConfig;
import org.eclipse.californium.core.network.CoapEndpoint;
import org.eclipse.californium.elements.config.Configuration;
import org.eclipse.californium.scandium.DTLSConnector;
import org.eclipse.californium.scandium.config.DtlsConfig;
import org.eclipse.californium.scandium.config.DtlsConnectorConfig;
import org.eclipse.californium.scandium.dtls.pskstore.AdvancedSinglePskStore;

/** Real device clients of one gateway: MQTT 5 (HiveMQ client) and CoAP over DTLS PSK (Californium/Scandium). */
final class SiteDevices implements AutoCloseable {

    static final String PASSWORD = "e2e-device-password-1";
    static final byte[] PSK = HexFormat.of().parseHex("00112233445566778899aabbccddeeff");

    private final int mqttPort;
    private final int dtlsPort;
    private final List<AutoCloseable> clients = new ArrayList<>();

    SiteDevices(int mqttPort, int dtlsPort) {
        this.mqttPort = mqttPort;
        this.dtlsPort = dtlsPort;
    }

    /** The registration body of a device with {@link #PASSWORD} and {@link #PSK}. */
    static String registration(String id, String type) {
        return "{\"id\":\"" + id + "\",\"type\":\"" + type + "\",\"credentials\":{\"password\":\"" + PASSWORD
                + "\",\"psk\":\"" + HexFormat.of().formatHex(PSK) + "\"}}";
    }

    /**
     * An MQTT 5 device with a persistent session (commands issued while it is offline wait for it), subscribed to
     * its commands; every message it receives is added to {@code received}.
     */
    Mqtt5AsyncClient mqtt(String deviceId, List<Mqtt5Publish> received) throws Exception {
        Mqtt5AsyncClient client = MqttClient.builder()
                .useMqttVersion5()
                .identifier(deviceId + "-e2e")
                .serverHost("127.0.0.1")
                .serverPort(mqttPort)
                .buildAsync();
        client.publishes(MqttGlobalPublishFilter.ALL, received::add);
        client.connectWith()
                .cleanStart(false)
                .sessionExpiryInterval(600)
                .simpleAuth()
                .username(deviceId)
                .password(PASSWORD.getBytes(StandardCharsets.UTF_8))
                .applySimpleAuth()
                .send()
                .get(20, TimeUnit.SECONDS);
        client.subscribeWith()
                .topicFilter("devices/" + deviceId + "/commands/+")
                .qos(MqttQos.AT_LEAST_ONCE)
                .send()
                .get(20, TimeUnit.SECONDS);
        clients.add(() -> disconnect(client));
        return client;
    }

    static void publish(Mqtt5AsyncClient client, String topic, String json) throws Exception {
        client.publishWith()
                .topic(topic)
                .qos(MqttQos.AT_LEAST_ONCE)
                .payload(json.getBytes(StandardCharsets.UTF_8))
                .send()
                .get(20, TimeUnit.SECONDS);
    }

    static void disconnect(Mqtt5AsyncClient client) throws Exception {
        if (client.getState().isConnected()) {
            client.disconnect().get(10, TimeUnit.SECONDS);
        }
    }

    /** A CoAP client of {@code path} on the gateway's DTLS port, authenticating as the device with {@link #PSK}. */
    CoapClient coap(String deviceId, String path) {
        Configuration config = Configuration.createStandardWithoutFile();
        config.set(DtlsConfig.DTLS_ROLE, DtlsConfig.DtlsRole.CLIENT_ONLY);
        config.set(DtlsConfig.DTLS_RETRANSMISSION_TIMEOUT, 1000, TimeUnit.MILLISECONDS);
        config.set(CoapConfig.MAX_RESOURCE_BODY_SIZE, 1 << 16);
        CoapEndpoint endpoint = CoapEndpoint.builder()
                .setConfiguration(config)
                .setConnector(new DTLSConnector(DtlsConnectorConfig.builder(config)
                        .setAddress(new InetSocketAddress("127.0.0.1", 0))
                        .setAdvancedPskStore(new AdvancedSinglePskStore(deviceId, PSK))
                        .build()))
                .build();
        clients.add(endpoint::destroy);
        CoapClient client = new CoapClient("coaps://127.0.0.1:" + dtlsPort + path);
        client.setEndpoint(endpoint);
        client.setTimeout(20_000L);
        return client;
    }

    @Override
    public void close() throws Exception {
        Exception failure = null;
        for (AutoCloseable client : clients) {
            try {
                client.close();
            } catch (Exception e) {
                if (failure == null) {
                    failure = e;
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
    }
}
