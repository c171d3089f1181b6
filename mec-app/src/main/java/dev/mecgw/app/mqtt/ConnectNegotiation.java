package dev.mecgw.app.mqtt;

import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttProperties.IntegerProperty;
import io.netty.handler.codec.mqtt.MqttProperties.MqttPropertyType;
import io.vertx.mqtt.MqttEndpoint;

/**
 * What a CONNECT settles between the client's wishes and the broker's limits: session expiry, the client's receive
 * window and packet size, and the CONNACK properties that tell an MQTT 5 client the broker's side. Also the property
 * reads that publishes and wills share.
 *
 * @param sessionExpirySeconds how long the session outlives the connection; 0 = ends with it
 * @param window most unacknowledged QoS 1/2 messages the broker may send the client
 * @param maxPacket largest packet the client accepts, in bytes
 */
record ConnectNegotiation(long sessionExpirySeconds, int window, int maxPacket) {

    static ConnectNegotiation of(MqttEndpoint endpoint, MqttConfig config) {
        MqttProperties asked = endpoint.connectProperties();
        return new ConnectNegotiation(
                sessionExpiry(endpoint, config),
                Math.min(config.maxInflight(), intProperty(asked, MqttPropertyType.RECEIVE_MAXIMUM, 65535)),
                intProperty(asked, MqttPropertyType.MAXIMUM_PACKET_SIZE, Integer.MAX_VALUE));
    }

    private static long sessionExpiry(MqttEndpoint endpoint, MqttConfig config) {
        long max = config.maxSessionExpiry().toSeconds();
        if (endpoint.protocolVersion() != 5) {
            return endpoint.isCleanSession() ? 0 : max;
        }
        // 0xFFFFFFFF means "never expires"; capped by configuration.
        long asked = Integer.toUnsignedLong(
                intProperty(endpoint.connectProperties(), MqttPropertyType.SESSION_EXPIRY_INTERVAL, 0));
        return Math.min(asked, max);
    }

    /** The CONNACK properties: none for MQTT 3.1.1; the broker's limits, and the expiry when it differs, for 5. */
    MqttProperties connack(MqttEndpoint endpoint, MqttConfig config) {
        if (endpoint.protocolVersion() != 5) {
            return MqttProperties.NO_PROPERTIES;
        }
        MqttProperties p = new MqttProperties();
        p.add(new IntegerProperty(MqttPropertyType.RECEIVE_MAXIMUM.value(), config.maxInflight()));
        p.add(new IntegerProperty(MqttPropertyType.MAXIMUM_PACKET_SIZE.value(), config.maxPacketSize()));
        p.add(new IntegerProperty(MqttPropertyType.TOPIC_ALIAS_MAXIMUM.value(), config.topicAliasMaximum()));
        p.add(new IntegerProperty(MqttPropertyType.SUBSCRIPTION_IDENTIFIER_AVAILABLE.value(), 1));
        p.add(new IntegerProperty(MqttPropertyType.SHARED_SUBSCRIPTION_AVAILABLE.value(), 1));
        if (intProperty(endpoint.connectProperties(), MqttPropertyType.SESSION_EXPIRY_INTERVAL, 0)
                != (int) sessionExpirySeconds) {
            p.add(new IntegerProperty(MqttPropertyType.SESSION_EXPIRY_INTERVAL.value(), (int) sessionExpirySeconds));
        }
        return p;
    }

    static int intProperty(MqttProperties props, MqttPropertyType type, int absent) {
        MqttProperties.MqttProperty<?> p = props == null ? null : props.getProperty(type.value());
        return p == null ? absent : (Integer) p.value();
    }

    /** @return when a message with these properties, published at {@code nowMillis}, expires, epoch millis; 0 = never */
    static long messageExpiry(MqttProperties properties, long nowMillis) {
        MqttProperties.MqttProperty<?> p = properties.getProperty(MqttPropertyType.PUBLICATION_EXPIRY_INTERVAL.value());
        return p == null ? 0 : nowMillis + Integer.toUnsignedLong((Integer) p.value()) * 1000;
    }
}
