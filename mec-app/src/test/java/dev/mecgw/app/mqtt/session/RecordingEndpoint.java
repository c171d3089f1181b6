package dev.mecgw.app.mqtt.session;

import io.netty.handler.codec.mqtt.MqttQoS;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.mqtt.MqttEndpoint;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;

/**
 * A plain fake of the client side of one connection: records what the session writes (PUBLISH, PUBREL)
 * instead of sending it, so the session's state machine is tested without sockets or Quarkus. Only the
 * calls {@link MqttSession} makes are answered; any other call fails the test.
 */
final class RecordingEndpoint {

    /** One PUBLISH written to the client. */
    record Sent(int packetId, String topic, String payload, int qos, boolean dup) {}

    final List<Sent> published = new ArrayList<>();
    final List<Integer> released = new ArrayList<>();
    final MqttEndpoint endpoint;
    /**
     * False once the connection is closing: vert.x's {@code MqttEndpointImpl.close()} (which a client's DISCONNECT
     * runs) clears its connected flag at once, but the close handler, which detaches the session, runs later.
     */
    boolean connected = true;

    private RecordingEndpoint(int protocolVersion) {
        endpoint = (MqttEndpoint) Proxy.newProxyInstance(
                MqttEndpoint.class.getClassLoader(), new Class<?>[] {MqttEndpoint.class}, (proxy, method, args) -> {
                    switch (method.getName()) {
                        case "protocolVersion":
                            return protocolVersion;
                        case "isConnected":
                            return connected;
                        case "publishRelease":
                            refuseUnlessConnected();
                            released.add((Integer) args[0]);
                            return proxy;
                        case "publish":
                            // publish(topic, payload, qos, dup, retain, messageId, properties)
                            refuseUnlessConnected();
                            published.add(new Sent(
                                    (Integer) args[5],
                                    (String) args[0],
                                    ((Buffer) args[1]).toString(),
                                    ((MqttQoS) args[2]).value(),
                                    (Boolean) args[3]));
                            return Future.succeededFuture(args[5]);
                        case "toString":
                            return "RecordingEndpoint";
                        case "hashCode":
                            return System.identityHashCode(proxy);
                        case "equals":
                            return proxy == args[0];
                        default:
                            throw new UnsupportedOperationException("Not faked: " + method);
                    }
                });
    }

    /** Throws as vert.x's {@code MqttEndpointImpl.checkConnected()} does for every write but CONNACK. */
    private void refuseUnlessConnected() {
        if (!connected) {
            throw new IllegalStateException("Connection not accepted yet");
        }
    }

    /** The client sent DISCONNECT (or the connection is being closed): vert.x refuses writes, not yet closed. */
    void closing() {
        connected = false;
    }

    /** A connected MQTT 3.1.1 client. */
    static RecordingEndpoint givenAClient() {
        return new RecordingEndpoint(4);
    }

    List<String> payloads() {
        return published.stream().map(Sent::payload).toList();
    }
}
