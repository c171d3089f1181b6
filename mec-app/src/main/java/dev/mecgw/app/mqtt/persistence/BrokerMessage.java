package dev.mecgw.app.mqtt.persistence;

import io.netty.handler.codec.mqtt.MqttProperties;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * An application message inside the broker. Immutable; shared by every subscriber it is delivered to.
 *
 * @param topic topic name
 * @param payload payload bytes (never modified)
 * @param qos publish QoS 0..2
 * @param retain the retain flag as published
 * @param properties MQTT 5 properties forwarded to subscribers (user properties, content type,
 *     payload format, response topic, correlation data); never null
 * @param expiresAtMillis epoch millis after which the message is dropped, or 0 for never
 * @param publisherClientId client id of the publisher, for No Local; null for gateway messages
 */
public record BrokerMessage(
        String topic,
        byte[] payload,
        int qos,
        boolean retain,
        MqttProperties properties,
        long expiresAtMillis,
        String publisherClientId) {

    /** The user property naming a gateway command's id (set by the command routing, read by the sessions). */
    public static final String COMMAND_ID = "command-id";

    /** A gateway-originated message (commands, twin). */
    public static BrokerMessage fromGateway(String topic, byte[] payload, int qos, boolean retain) {
        return new BrokerMessage(topic, payload, qos, retain, MqttProperties.NO_PROPERTIES, 0, null);
    }

    /**
     * This message as delivered to one subscriber: with the Subscription Identifiers of every subscription of
     * that subscriber it matched (MQTT 5 section 3.3.2.3.8). The same message when there are none.
     */
    public BrokerMessage withSubscriptionIds(List<Integer> subscriptionIds) {
        if (subscriptionIds.isEmpty()) {
            return this;
        }
        MqttProperties tagged = new MqttProperties();
        properties.listAll().forEach(tagged::add);
        for (int id : subscriptionIds) {
            tagged.add(new MqttProperties.IntegerProperty(
                    MqttProperties.MqttPropertyType.SUBSCRIPTION_IDENTIFIER.value(), id));
        }
        return new BrokerMessage(topic, payload, qos, retain, tagged, expiresAtMillis, publisherClientId);
    }

    /**
     * An upper bound of this message's PUBLISH size in bytes, properties included, for the client's Maximum Packet
     * Size (MQTT 5 section 3.1.2.11.4): fixed header at most 5, topic, packet id, property length at most 4, and
     * each property at its largest encoding.
     */
    public long maxEncodedSize() {
        long size = 5 + 2 + topic.getBytes(StandardCharsets.UTF_8).length + 2 + 4 + payload.length;
        for (MqttProperties.MqttProperty<?> p : properties.listAll()) {
            size += 1 + valueSize(p.value());
        }
        // The remaining expiry added on delivery (propertiesAt).
        return expiresAtMillis == 0 ? size : size + 5;
    }

    private static long valueSize(Object value) {
        if (value instanceof String text) {
            return 2 + text.getBytes(StandardCharsets.UTF_8).length;
        }
        if (value instanceof byte[] binary) {
            return 2 + binary.length;
        }
        if (value instanceof List<?> pairs) {
            long size = 0;
            for (Object pair : pairs) {
                MqttProperties.StringPair user = (MqttProperties.StringPair) pair;
                // Each user property repeats the identifier byte.
                size += 1 + valueSize(user.key) + valueSize(user.value);
            }
            return size;
        }
        return 4;
    }

    /**
     * The id a gateway command carries as user property {@code command-id} (docs/commands.md), the key under which a
     * session holds it at most once.
     *
     * @return the command id of a gateway-originated message; null for any other message
     */
    public String gatewayCommandId() {
        if (publisherClientId != null) {
            return null;
        }
        MqttProperties.MqttProperty<?> users =
                properties.getProperty(MqttProperties.MqttPropertyType.USER_PROPERTY.value());
        if (users == null || !(users.value() instanceof List<?> pairs)) {
            return null;
        }
        for (Object pair : pairs) {
            MqttProperties.StringPair user = (MqttProperties.StringPair) pair;
            if (COMMAND_ID.equals(user.key)) {
                return user.value;
            }
        }
        return null;
    }

    /** MQTT 5 message expiry: an expired message is dropped instead of delivered late. */
    public boolean isExpired(long nowMillis) {
        return expiresAtMillis != 0 && nowMillis >= expiresAtMillis;
    }

    /** Remaining message-expiry seconds to forward (MQTT 5 section 3.3.2.3.3), at least 1. */
    private long remainingExpirySeconds(long nowMillis) {
        return Math.max(1, (expiresAtMillis - nowMillis + 999) / 1000);
    }

    /** The MQTT 5 properties to forward now: the published ones, with the remaining expiry when it has one. */
    public MqttProperties propertiesAt(long nowMillis) {
        if (expiresAtMillis == 0) {
            return properties;
        }
        MqttProperties forwarded = new MqttProperties();
        properties.listAll().forEach(forwarded::add);
        forwarded.add(new MqttProperties.IntegerProperty(
                MqttProperties.MqttPropertyType.PUBLICATION_EXPIRY_INTERVAL.value(),
                (int) remainingExpirySeconds(nowMillis)));
        return forwarded;
    }
}
