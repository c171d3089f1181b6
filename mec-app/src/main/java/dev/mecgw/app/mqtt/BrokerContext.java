package dev.mecgw.app.mqtt;

import dev.mecgw.app.acl.AccessPolicy;
import java.util.function.BiConsumer;

/**
 * Collaborators every connection needs, passed as one value instead of a long constructor.
 *
 * @param presence called with (device id, online) on connect and close; must not block
 */
record BrokerContext(Broker broker, ChainAuthHandler auth, AccessPolicy policy, MqttRouter router,
        MqttConfig config, BrokerMetrics metrics, BiConsumer<String, Boolean> presence) {
}
