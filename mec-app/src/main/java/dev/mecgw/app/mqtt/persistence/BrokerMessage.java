package dev.mecgw.app.mqtt.persistence;

import io.netty.handler.codec.mqtt.MqttProperties;

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

    /** A gateway-originated message (commands, twin). */
    public static BrokerMessage fromGateway(String topic, byte[] payload, int qos, boolean retain) {
        return new BrokerMessage(topic, payload, qos, retain, MqttProperties.NO_PROPERTIES, 0, null);
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
