package dev.mecgw.app.coap.app;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mecgw.app.acl.AccessPolicy;
import dev.mecgw.app.artifacts.ArtifactStore;
import dev.mecgw.app.coap.CoapConfig;
import dev.mecgw.app.coap.CoapGateway;
import dev.mecgw.app.credentials.ClientCertificates;
import dev.mecgw.app.credentials.SecretCipher;
import dev.mecgw.app.events.EventLog;
import dev.mecgw.app.events.RejectedPayloadEvents;
import dev.mecgw.app.frames.FrameSink;
import dev.mecgw.app.gateway.LifecyclePhase;
import dev.mecgw.app.gateway.app.StartupReport;
import dev.mecgw.app.ingest.RawMessageLog;
import dev.mecgw.app.ingest.TelemetryIngest;
import dev.mecgw.app.ingest.TelemetryPayloadParser;
import dev.mecgw.app.ran.NetworkAdmission;
import dev.mecgw.app.registry.DeviceRegistry;
import dev.mecgw.app.registry.DeviceRevocations;
import dev.mecgw.app.twin.CommandReceipts;
import dev.mecgw.app.twin.DeviceUpdatePublisher;
import dev.mecgw.app.twin.TwinStore;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.net.InetSocketAddress;
import javax.sql.DataSource;

/**
 * Builds the {@link CoapGateway}, starts it with the front-ends after the database is migrated and stops
 * it before the ingest pipeline drains, so that no 2.04 is promised for a reading that could not be
 * written anymore.
 */
@ApplicationScoped
public class CoapLifecycle {

    @Inject
    CoapConfig config;

    @Inject
    DeviceRegistry registry;

    @Inject
    SecretCipher cipher;

    @Inject
    EventLog events;

    @Inject
    RejectedPayloadEvents rejections;

    @Inject
    TelemetryIngest ingest;

    @Inject
    TelemetryPayloadParser parser;

    @Inject
    TwinStore twins;

    @Inject
    DeviceUpdatePublisher updates;

    @Inject
    CommandReceipts receipts;

    @Inject
    FrameSink frames;

    @Inject
    ArtifactStore artifacts;

    @Inject
    ObjectMapper json;

    @Inject
    StartupReport report;

    @Inject
    DataSource dataSource;

    @Inject
    NetworkAdmission admission;

    @Inject
    AccessPolicy accessPolicy;

    @Inject
    MeterRegistry meters;

    @Inject
    ClientCertificates clientCertificates;

    @Inject
    DeviceRevocations revocations;

    @Inject
    RawMessageLog rawMessages;

    private volatile CoapGateway gateway;

    void onStart(@Observes @Priority(LifecyclePhase.Order.FRONT_ENDS_START) StartupEvent event) throws Exception {
        if (!config.enabled()) {
            return;
        }
        CoapGateway built = new CoapGateway(
                config,
                new CoapGateway.Collaborators(
                        registry,
                        cipher,
                        events,
                        ingest,
                        parser,
                        twins,
                        updates,
                        frames,
                        artifacts,
                        json,
                        dataSource,
                        admission,
                        accessPolicy,
                        receipts,
                        rejections,
                        clientCertificates,
                        rawMessages));
        gateway = built;
        built.start();
        built.bindMeters(meters);
        // Issue 15.9: a deleted or re-keyed device loses its DTLS sessions at once; after a SIM refusal each of
        // its sessions is checked by the network again.
        revocations.subscribe((device, reason) -> {
            if (DeviceRevocations.SIM_CHECK_FAILED.equals(reason)) {
                built.recheck(device);
            } else {
                built.revoke(device);
            }
        });
        report.addListener(built.description());
    }

    /** Stops with the front-ends, before the ingest drains and the store closes. */
    void onStop(@Observes @Priority(LifecyclePhase.Order.FRONT_ENDS_STOP) ShutdownEvent event) throws Exception {
        if (gateway != null) {
            gateway.close();
        }
    }

    /** Bound plain CoAP address, for tests and tools; null when the front-end is disabled or unsecured CoAP is off. */
    public InetSocketAddress plainAddress() {
        return gateway == null ? null : gateway.plainAddress();
    }

    /** Bound DTLS address, for tests and tools; null when the front-end is disabled. */
    public InetSocketAddress dtlsAddress() {
        return gateway == null ? null : gateway.dtlsAddress();
    }
}
