package dev.mecgw.app.southbound.sparkplug.app;

import dev.mecgw.app.events.RejectedPayloadEvents;
import dev.mecgw.app.gateway.LifecyclePhase;
import dev.mecgw.app.ingest.TelemetryIngest;
import dev.mecgw.app.mqtt.MqttBroker;
import dev.mecgw.app.registry.DeviceRegistry;
import dev.mecgw.app.southbound.sparkplug.SparkplugConfig;
import dev.mecgw.app.southbound.sparkplug.SparkplugHost;
import dev.mecgw.app.twin.DeviceMessenger;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Produces;

/** Wires the Sparkplug host into the gateway's MQTT broker before the broker's listeners start (issue 21.3). */
@ApplicationScoped
public class SparkplugProducers {

    /** Just before the front-ends start, so that the first Sparkplug message already finds the route. */
    static final int START = LifecyclePhase.Order.FRONT_ENDS_START - 1;

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

    void onStart(
            @Observes @Priority(START) StartupEvent event,
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
