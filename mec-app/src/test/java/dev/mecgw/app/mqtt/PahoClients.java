package dev.mecgw.app.mqtt;

import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttCallback;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;

/** Eclipse Paho MQTT 5 clients for broker tests: a second client library next to HiveMQ's. */
final class PahoClients {

    /** How long a Paho call may take before the test fails (a bound, not a timing assertion). */
    static final long WAIT_MS = 10_000;

    private PahoClients() {}

    /** A received message with its topic. */
    record Received(String topic, MqttMessage message) {}

    /** A Paho MQTT 5 client that records what it receives and how it was disconnected. */
    static final class Paho5 implements MqttCallback, AutoCloseable {
        final MqttAsyncClient client;
        final BlockingQueue<Received> received = new LinkedBlockingQueue<>();
        final BlockingQueue<MqttDisconnectResponse> disconnects = new LinkedBlockingQueue<>();
        IMqttToken connack;

        Paho5(int port, String clientId) throws MqttException {
            client = new MqttAsyncClient("tcp://127.0.0.1:" + port, clientId, new MemoryPersistence());
            client.setCallback(this);
        }

        /** Connects with the given options; the CONNACK's properties are in {@link #connack}. */
        Paho5 connect(MqttConnectionOptions options) throws MqttException {
            connack = client.connect(options);
            connack.waitForCompletion(WAIT_MS);
            return this;
        }

        Paho5 connect() throws MqttException {
            MqttConnectionOptions options = new MqttConnectionOptions();
            options.setCleanStart(true);
            return connect(options);
        }

        MqttProperties connackProperties() {
            return connack.getResponseProperties();
        }

        @Override
        public void disconnected(MqttDisconnectResponse response) {
            disconnects.add(response);
        }

        @Override
        public void mqttErrorOccurred(MqttException exception) {
            // Reported through disconnects or the tokens.
        }

        @Override
        public void messageArrived(String topic, MqttMessage message) {
            received.add(new Received(topic, message));
        }

        @Override
        public void deliveryComplete(IMqttToken token) {
            // Tokens are awaited by the tests themselves.
        }

        @Override
        public void connectComplete(boolean reconnect, String serverURI) {
            // Nothing to do.
        }

        @Override
        public void authPacketArrived(int reasonCode, MqttProperties properties) {
            // No enhanced authentication here.
        }

        @Override
        public void close() throws MqttException {
            if (client.isConnected()) {
                client.disconnect().waitForCompletion(WAIT_MS);
            }
            client.close(true);
        }
    }
}
