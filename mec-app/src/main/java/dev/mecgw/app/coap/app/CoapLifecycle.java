package dev.mecgw.app.coap.app;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mecgw.app.acl.AccessPolicy;
import dev.mecgw.app.artifacts.ArtifactStore;
import dev.mecgw.app.coap.CaliforniumCoapServer;
import dev.mecgw.app.coap.CoapAuthenticator;
import dev.mecgw.app.coap.CoapConfig;
import dev.mecgw.app.coap.CoapDevices;
import dev.mecgw.app.coap.CoapNetworkGate;
import dev.mecgw.app.coap.CommandsResource;
import dev.mecgw.app.coap.DesiredTwinResource;
import dev.mecgw.app.coap.FirmwareResource;
import dev.mecgw.app.coap.FramesResource;
import dev.mecgw.app.coap.PostgresDeviceCertificates;
import dev.mecgw.app.coap.RegistryCertificateVerifier;
import dev.mecgw.app.coap.RegistryPskStore;
import dev.mecgw.app.coap.ReportedTwinResource;
import dev.mecgw.app.coap.ServerCertificate;
import dev.mecgw.app.coap.TelemetryResource;
import dev.mecgw.app.credentials.SecretCipher;
import dev.mecgw.app.events.EventLog;
import dev.mecgw.app.frames.FrameSink;
import dev.mecgw.app.gateway.app.StartupReport;
import dev.mecgw.app.ingest.TelemetryIngest;
import dev.mecgw.app.ingest.TelemetryPayloadParser;
import dev.mecgw.app.ran.NetworkAdmission;
import dev.mecgw.app.registry.DeviceRegistry;
import dev.mecgw.app.twin.CommandReceipts;
import dev.mecgw.app.twin.DeviceUpdatePublisher;
import dev.mecgw.app.twin.TwinStore;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.eclipse.californium.core.CoapResource;
import org.eclipse.californium.core.server.resources.Resource;

/**
 * Starts the CoAP front-end after the database is migrated and stops it before the ingest pipeline
 * drains, so that no 2.04 is promised for a reading that could not be written anymore.
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

    private final List<AutoCloseable> resources = new ArrayList<>();
    private volatile CaliforniumCoapServer server;
    private ThreadPoolExecutor workers;
    private ThreadPoolExecutor pskLookups;
    private ScheduledExecutorService housekeeping;

    void onStart(@Observes StartupEvent event) throws Exception {
        if (!config.enabled()) {
            return;
        }
        workers = pool("mecgw-coap-worker", 4, 10_000);
        pskLookups = pool("mecgw-coap-psk", 2, config.dtlsMaxPendingHandshakes());
        CoapDevices devices = new CoapDevices(registry, events, workers, config.presenceTimeout());
        CoapAuthenticator auth = new CoapAuthenticator();
        CommandsResource commands = new CommandsResource(json, receipts, devices);
        DesiredTwinResource desired = new DesiredTwinResource(twins, devices);
        resources.add(updates.subscribe(commands));
        resources.add(updates.subscribe(desired));
        CoapResource twin = new CoapResource("twin");
        twin.setVisible(false);
        twin.add(desired, new ReportedTwinResource(twins, devices));
        List<Resource> routes = List.of(
                new TelemetryResource(auth, parser, ingest, devices),
                commands,
                twin,
                new FirmwareResource(artifacts, devices, config.blockSize()),
                new FramesResource(frames, devices));
        // Issue #7: an admission lasts as long as a DTLS session may idle (30 min stale threshold).
        CoapNetworkGate gate = new CoapNetworkGate(
                admission,
                accessPolicy,
                java.time.Duration.ofMinutes(30),
                Math.max(1024, config.dtlsMaxConnections() * 2));
        server = new CaliforniumCoapServer(
                config, routes, new RegistryPskStore(registry, cipher, pskLookups), serverCertificate(), gate);
        server.start();
        housekeeping = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "mecgw-coap-housekeeping"));
        housekeeping.scheduleWithFixedDelay(
                () -> {
                    server.sweep();
                    devices.expire(Instant.now());
                },
                30,
                30,
                TimeUnit.SECONDS);
        report.addListener(String.format(
                "CoAP           : udp port %d%s, coaps (DTLS 1.2 PSK%s) udp port %d",
                server.plainAddress().getPort(),
                config.allowUnsecured() ? " (unsecured telemetry allowed)" : " (discovery only; telemetry needs DTLS)",
                config.dtlsKeyStore().isPresent() ? ", X.509" : "",
                server.dtlsAddress().getPort()));
    }

    /** Stops before the ingest drains (its observer runs at the default priority). */
    void onStop(@Observes @Priority(100) ShutdownEvent event) throws Exception {
        if (server != null) {
            server.close();
        }
        for (AutoCloseable resource : resources) {
            resource.close();
        }
        for (var executor : new java.util.concurrent.ExecutorService[] {housekeeping, pskLookups, workers}) {
            if (executor != null) {
                executor.shutdown();
                executor.awaitTermination(5, TimeUnit.SECONDS);
            }
        }
    }

    private Optional<ServerCertificate> serverCertificate() throws Exception {
        if (config.dtlsKeyStore().isEmpty()) {
            return Optional.empty();
        }
        char[] password = config.dtlsKeyStorePassword().orElse("").toCharArray();
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(config.dtlsKeyStore().get())) {
            store.load(in, password);
        }
        for (String alias : Collections.list(store.aliases())) {
            if (store.isKeyEntry(alias)) {
                X509Certificate[] chain = Arrays.stream(store.getCertificateChain(alias))
                        .map(X509Certificate.class::cast)
                        .toArray(X509Certificate[]::new);
                return Optional.of(new ServerCertificate(
                        (PrivateKey) store.getKey(alias, password),
                        chain,
                        new RegistryCertificateVerifier(new PostgresDeviceCertificates(dataSource), pskLookups)));
            }
        }
        throw new IllegalStateException(
                "No key entry in " + config.dtlsKeyStore().get());
    }

    /** Bound plain CoAP address, for tests and tools; null when the front-end is disabled. */
    public InetSocketAddress plainAddress() {
        return server == null ? null : server.plainAddress();
    }

    /** Bound DTLS address, for tests and tools; null when the front-end is disabled. */
    public InetSocketAddress dtlsAddress() {
        return server == null ? null : server.dtlsAddress();
    }

    private static ThreadPoolExecutor pool(String name, int threads, int queue) {
        ThreadPoolExecutor pool = new ThreadPoolExecutor(
                threads, threads, 60, TimeUnit.SECONDS, new ArrayBlockingQueue<>(queue), r -> daemon(r, name));
        pool.allowCoreThreadTimeOut(true);
        return pool;
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }
}
