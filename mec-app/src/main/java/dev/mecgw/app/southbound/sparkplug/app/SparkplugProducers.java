package dev.mecgw.app.southbound.sparkplug.app;

import dev.mecgw.app.events.RejectedPayloadEvents;
import dev.mecgw.app.gateway.LifecyclePhase;
import dev.mecgw.app.ingest.TelemetryIngest;
import dev.mecgw.app.mqtt.MqttBroker;
import dev.mecgw.app.registry.DeviceRegistry;
import dev.mecgw.app.southbound.SouthboundProtocol;
import dev.mecgw.app.southbound.sparkplug.SparkplugConfig;
import dev.mecgw.app.southbound.sparkplug.SparkplugHost;
import dev.mecgw.app.southbound.sparkplug.SparkplugProtocol;
import dev.mecgw.app.twin.DeviceMessenger;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/**
 * Wires the Sparkplug host into the gateway's MQTT broker in the front-ends phase (issue 21.3). Should the broker's
 * listener open first, a birth in that instant is only relayed; the node's next message then finds no birth and the
 * host asks it for a rebirth, so nothing stays wrong.
 */
@ApplicationScoped
public class SparkplugProducers {

    @Produces
    @ApplicationScoped
    SparkplugHost sparkplugHost(
            SparkplugConfig config,
            DeviceRegistry registry,
            TelemetryIngest ingest,
            RejectedPayloadEvents events,
            DeviceMessenger messenger) {
        return new SparkplugHost(config, registry, ingest, events, messenger);
    }

    /** Sparkplug as a southbound type: connection state and commands (write, rebirth) of nodes and their devices. */
    @Produces
    @Singleton
    SouthboundProtocol sparkplugProtocol(Instance<SparkplugHost> host) {
        return new SparkplugProtocol(host::get);
    }

    void onStart(
            @Observes @Priority(LifecyclePhase.Order.FRONT_ENDS_START) StartupEvent event,
            SparkplugConfig config,
            MqttBroker broker,
            SparkplugHost host) {
        if (config.enabled()) {
            broker.addRoute(host.route(), host::onWill);
        }
    }

    void onStop(@Observes @Priority(LifecyclePhase.Order.FRONT_ENDS_STOP) ShutdownEvent event, SparkplugHost host) {
        host.close();
    }
}
