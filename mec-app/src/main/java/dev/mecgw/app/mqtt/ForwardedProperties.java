package dev.mecgw.app.mqtt;

import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttProperties.MqttPropertyType;

/** Picks the PUBLISH properties MQTT 5 section 3.3.2.3 says travel with the message to subscribers. */
final class ForwardedProperties {

    private static final int[] FORWARDED = {
        MqttPropertyType.PAYLOAD_FORMAT_INDICATOR.value(),
        MqttPropertyType.CONTENT_TYPE.value(),
        MqttPropertyType.RESPONSE_TOPIC.value(),
        MqttPropertyType.CORRELATION_DATA.value(),
    };

    private ForwardedProperties() {}

    static MqttProperties of(MqttProperties incoming, boolean mqtt5) {
        if (!mqtt5 || incoming == null || incoming.isEmpty()) {
            return MqttProperties.NO_PROPERTIES;
        }
        MqttProperties out = new MqttProperties();
        for (int id : FORWARDED) {
            MqttProperties.MqttProperty<?> p = incoming.getProperty(id);
            if (p != null) {
                out.add(p);
            }
        }
        MqttProperties.MqttProperty<?> user = incoming.getProperty(MqttPropertyType.USER_PROPERTY.value());
        if (user != null) {
            out.add(user);
        }
        return out.isEmpty() ? MqttProperties.NO_PROPERTIES : out;
    }
}
