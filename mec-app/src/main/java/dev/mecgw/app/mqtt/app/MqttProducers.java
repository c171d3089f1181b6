package dev.mecgw.app.mqtt.app;

import dev.mecgw.app.acl.AccessPolicy;
import dev.mecgw.app.credentials.ClientCertificates;
import dev.mecgw.app.credentials.PasswordHasher;
import dev.mecgw.app.credentials.VerifiedPasswordCache;
import dev.mecgw.app.events.RejectedPayloadEvents;
import dev.mecgw.app.frames.FrameSink;
import dev.mecgw.app.gateway.LifecyclePhase;
import dev.mecgw.app.gateway.app.StartupReport;
import dev.mecgw.app.ingest.RawMessageLog;
import dev.mecgw.app.ingest.TelemetryIngest;
import dev.mecgw.app.ingest.TelemetryPayloadParser;
import dev.mecgw.app.mqtt.MqttBroker;
import dev.mecgw.app.mqtt.MqttConfig;
import dev.mecgw.app.mqtt.MqttDeviceMessenger;
import dev.mecgw.app.mqtt.persistence.PostgresRetainedStore;
import dev.mecgw.app.mqtt.persistence.PostgresSessionStore;
import dev.mecgw.app.ran.NetworkAdmission;
import dev.mecgw.app.registry.DeviceRegistry;
import dev.mecgw.app.registry.DeviceRevocations;
import dev.mecgw.app.twin.CommandReceipts;
import dev.mecgw.app.twin.DeviceMessenger;
import dev.mecgw.app.twin.TwinStore;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.Vertx;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Produces;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;

/** Wires the MQTT broker and the device messenger; starts the listeners at start-up. */
@ApplicationScoped
public class MqttProducers {

    private volatile MqttBroker running;

    @Produces
    @ApplicationScoped
    MqttBroker mqttBroker(
            Vertx vertx,
            MqttConfig config,
            DataSource dataSource,
            DeviceRegistry registry,
            PasswordHasher hasher,
            ClientCertificates certificates,
            AccessPolicy policy,
            TelemetryIngest ingest,
            TelemetryPayloadParser parser,
            RejectedPayloadEvents rejections,
            TwinStore twins,
            FrameSink frames,
            NetworkAdmission admission,
            MeterRegistry meters,
            CommandReceipts commands,
            DeviceRevocations revocations,
            VerifiedPasswordCache verifiedPasswords,
            RawMessageLog rawMessages) {
        MqttBroker broker = new MqttBroker(
                vertx,
                config,
                new MqttBroker.Dependencies(
                        registry,
                        hasher,
                        certificates,
                        policy,
                        ingest,
                        parser,
                        rejections,
                        twins,
                        new PostgresRetainedStore(dataSource),
                        new PostgresSessionStore(dataSource),
                        frames,
                        admission,
                        meters,
                        commands,
                        verifiedPasswords));
        broker.recordRawTelemetry(rawMessages);
        // Issue 15.9: a deleted or re-keyed device loses its connections and cached passwords at once.
        revocations.subscribe((device, reason) -> broker.revoke(device));
        return broker;
    }

    @Produces
    @ApplicationScoped
    DeviceMessenger deviceMessenger(MqttBroker broker) {
        return new MqttDeviceMessenger(broker);
    }

    // Front-ends start before the start-up report, so that the MQTT line is in it.
    void onStart(
            @Observes @Priority(LifecyclePhase.Order.FRONT_ENDS_START) StartupEvent event,
            MqttConfig config,
            MqttBroker broker,
            StartupReport report)
            throws Exception {
        if (!config.enabled()) {
            report.addListener("MQTT           : disabled (mecgw.mqtt.enabled=false)");
            return;
        }
        int port = broker.start().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        running = broker;
        report.addListener(String.format(
                "MQTT           : port %d%s, anonymous %s",
                port,
                broker.tlsPort() > 0 ? ", TLS port " + broker.tlsPort() : "",
                config.allowAnonymous() ? "ALLOWED" : "off"));
    }

    void onStop(@Observes @Priority(LifecyclePhase.Order.FRONT_ENDS_STOP) ShutdownEvent event) {
        if (running != null) {
            running.stop();
        }
    }
}
