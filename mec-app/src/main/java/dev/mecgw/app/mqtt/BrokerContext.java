package dev.mecgw.app.mqtt;

import dev.mecgw.app.acl.AccessPolicy;
import dev.mecgw.app.mqtt.auth.ChainAuthHandler;
import dev.mecgw.app.mqtt.routing.MqttRouter;
import dev.mecgw.app.mqtt.session.Broker;
import dev.mecgw.app.mqtt.session.BrokerMetrics;
import dev.mecgw.app.ran.NetworkAdmission;
import java.util.function.BiConsumer;

/**
 * Collaborators every connection needs, passed as one value instead of a long constructor.
 *
 * @param admission the 5G network's say on an authenticated device connecting from its UE address
 * @param presence called with (device id, online) on connect and close; must not block
 */
record BrokerContext(
        Broker broker,
        ChainAuthHandler auth,
        NetworkAdmission admission,
        AccessPolicy policy,
        MqttRouter router,
        MqttConfig config,
        BrokerMetrics metrics,
        BiConsumer<String, Boolean> presence) {}
