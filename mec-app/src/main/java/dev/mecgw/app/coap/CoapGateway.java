package dev.mecgw.app.coap;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mecgw.app.acl.AccessPolicy;
import dev.mecgw.app.artifacts.ArtifactStore;
import dev.mecgw.app.credentials.ClientCertificates;
import dev.mecgw.app.credentials.SecretCipher;
import dev.mecgw.app.events.EventLog;
import dev.mecgw.app.events.RejectedPayloadEvents;
import dev.mecgw.app.frames.FrameSink;
import dev.mecgw.app.gateway.DaemonThreads;
import dev.mecgw.app.ingest.RawMessageLog;
import dev.mecgw.app.ingest.TelemetryIngest;
import dev.mecgw.app.ingest.TelemetryPayloadParser;
import dev.mecgw.app.ran.NetworkAdmission;
import dev.mecgw.app.registry.DeviceRegistry;
import dev.mecgw.app.twin.CommandReceipts;
import dev.mecgw.app.twin.DeviceUpdatePublisher;
import dev.mecgw.app.twin.TwinStore;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
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
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.ToDoubleFunction;
import javax.sql.DataSource;
import org.eclipse.californium.core.CoapResource;
import org.eclipse.californium.core.server.resources.Resource;

/**
 * The CoAP front-end, the one entry class of this area: builds the route tree, the DTLS credentials and
 * the network gate, starts the Californium endpoints and the housekeeping, and closes them again. Its
 * {@code app/} wiring bean starts it with the front-ends and stops it before the ingest drains, so that no
 * 2.04 is promised for a reading that could not be written anymore.
 */
public final class CoapGateway implements AutoCloseable {

    /** What the front-end works with, all owned by other areas. */
    public record Collaborators(
            DeviceRegistry registry,
            SecretCipher cipher,
            EventLog events,
            TelemetryIngest ingest,
            TelemetryPayloadParser parser,
            TwinStore twins,
            DeviceUpdatePublisher updates,
            FrameSink frames,
            ArtifactStore artifacts,
            ObjectMapper json,
            DataSource dataSource,
            NetworkAdmission admission,
            AccessPolicy accessPolicy,
            CommandReceipts commands,
            RejectedPayloadEvents rejections,
            ClientCertificates clientCertificates,
            RawMessageLog rawMessages) {}

    private final CoapConfig config;
    private final Collaborators with;
    private final List<AutoCloseable> resources = new ArrayList<>();
    private volatile CaliforniumCoapServer server;
    private volatile FirmwareResource firmware;
    private ThreadPoolExecutor workers;
    private ThreadPoolExecutor pskLookups;
    private ScheduledExecutorService housekeeping;

    public CoapGateway(CoapConfig config, Collaborators with) {
        this.config = config;
        this.with = with;
    }

    /**
     * Binds the plain and DTLS endpoints and starts serving.
     *
     * @throws Exception when a port cannot be bound or the DTLS key store cannot be read
     */
    public void start() throws Exception {
        workers = pool("mecgw-coap-worker-%d", 4, 10_000);
        pskLookups = pool("mecgw-coap-psk-%d", 2, config.dtlsMaxPendingHandshakes());
        CoapDevices devices = new CoapDevices(with.registry(), with.rejections(), workers, config.presenceTimeout());
        CoapAuthenticator auth = new CoapAuthenticator();
        CommandsResource commands = new CommandsResource(with.json(), with.commands(), devices);
        DesiredTwinResource desired = new DesiredTwinResource(with.twins(), devices);
        resources.add(with.updates().subscribe(commands));
        resources.add(with.updates().subscribe(desired));
        CoapResource twin = new CoapResource("twin");
        twin.setVisible(false);
        twin.add(desired, new ReportedTwinResource(with.twins(), devices));
        firmware = new FirmwareResource(with.artifacts(), devices, config.blockSize());
        List<Resource> routes = List.of(
                new TelemetryResource(auth, with.parser(), with.ingest(), devices, with.rawMessages()),
                commands,
                twin,
                firmware,
                new FramesResource(with.frames(), devices));
        // Issue #7: an admission lasts as long as a DTLS session may idle (the stale threshold).
        CoapNetworkGate gate = new CoapNetworkGate(
                with.admission(),
                with.accessPolicy(),
                config.dtlsStaleConnectionThreshold(),
                Math.max(1024, config.dtlsMaxConnections() * 2));
        server = new CaliforniumCoapServer(
                config,
                routes,
                new RegistryPskStore(with.registry(), with.cipher(), pskLookups),
                serverCertificate(),
                gate);
        server.start();
        housekeeping = Executors.newSingleThreadScheduledExecutor(DaemonThreads.named("mecgw-coap-housekeeping"));
        housekeeping.scheduleWithFixedDelay(
                () -> {
                    server.sweep();
                    devices.expire(Instant.now());
                },
                30,
                30,
                TimeUnit.SECONDS);
    }

    /**
     * Registers the front-end's meters (issue 15): bytes and transfers of the Block1 budget and the blocks it
     * refused, by reason; the peer table's size and refusals; refused DTLS handshakes and dropped records (issue 13
     * item 5); firmware bytes served over Block2 (issue 18). Call
     * after {@link #start()}.
     */
    public void bindMeters(MeterRegistry meters) {
        Block1Guard block1 = server.block1();
        Gauge.builder("mecgw.coap.block1.reserved.bytes", block1.budget(), Block1Budget::reservedBytes)
                .baseUnit("bytes")
                .register(meters);
        Gauge.builder("mecgw.coap.block1.transfers", block1.budget(), Block1Budget::transfers)
                .register(meters);
        FunctionCounter.builder("mecgw.coap.block1.refused", block1, Block1Guard::refusedUnauthenticated)
                .tag("reason", "unauthenticated")
                .register(meters);
        FunctionCounter.builder("mecgw.coap.block1.refused", block1, Block1Guard::refusedOverBudget)
                .tag("reason", "over-budget")
                .register(meters);
        CoapPeerSessions peers = server.sessions();
        Gauge.builder("mecgw.coap.peers", peers, CoapPeerSessions::size).register(meters);
        Gauge.builder("mecgw.coap.peers.unauthenticated", peers, CoapPeerSessions::unauthenticatedSize)
                .register(meters);
        FunctionCounter.builder("mecgw.coap.peers.refused", peers, CoapPeerSessions::refusedPerAddress)
                .tag("reason", "per-address-limit")
                .register(meters);
        FunctionCounter.builder("mecgw.coap.peers.refused", peers, CoapPeerSessions::refusedFull)
                .tag("reason", "table-full")
                .register(meters);
        FunctionCounter.builder("mecgw.coap.peers.evicted", peers, CoapPeerSessions::evicted)
                .register(meters);
        FunctionCounter.builder("mecgw.coap.requests.throttled", peers, CoapPeerSessions::refusedRate)
                .description("Requests refused for their peer's rate (peer-rate, peer-burst): 5.03 or RST")
                .register(meters);
        bindDtlsMeters(meters, server.dtlsCounters());
        // Same name and description as the HTTP path's counter (ota.FirmwareDownloads): one meter, two transports.
        FunctionCounter.builder("mecgw.ota.download.bytes", firmware, FirmwareResource::bytesServed)
                .description("Firmware bytes written to devices")
                .tag("transport", "coap")
                .register(meters);
    }

    /** Issue 13 item 5: what the DTLS port refuses or drops without a word to the peer (docs/coap.md). */
    private static void bindDtlsMeters(MeterRegistry meters, ScandiumDtlsCounters dtls) {
        String ended = "DTLS handshakes ended, by outcome (a refused one fails when its last flight times out)";
        counters(
                meters,
                dtls,
                "mecgw.coap.dtls.handshakes",
                ended,
                "outcome",
                Map.of(
                        "completed",
                        ScandiumDtlsCounters::handshakesCompleted,
                        "failed",
                        ScandiumDtlsCounters::handshakesFailed));
        String refused =
                "PSK handshakes refused in silence: a Finished that failed to verify, or no key for the identity";
        counters(
                meters,
                dtls,
                "mecgw.coap.dtls.handshakes.refused",
                refused,
                "reason",
                Map.of(
                        "wrong-key",
                        ScandiumDtlsCounters::wrongKey,
                        "unknown-identity",
                        ScandiumDtlsCounters::unknownIdentity));
        String dropped = "Received DTLS records dropped: MAC errors, or other (above all no session: ended or evicted)";
        counters(
                meters,
                dtls,
                "mecgw.coap.dtls.records.dropped",
                dropped,
                "reason",
                Map.of("mac-error", ScandiumDtlsCounters::macErrors, "other", ScandiumDtlsCounters::otherDropped));
    }

    /**
     * One function counter per tag value, under one name and description. Each reads {@code dtls} itself: a function
     * counter holds its object weakly, and the server keeps {@code dtls} alive (a method reference would be
     * collected, and its counter go silent).
     */
    private static void counters(
            MeterRegistry meters,
            ScandiumDtlsCounters dtls,
            String name,
            String description,
            String tag,
            Map<String, ToDoubleFunction<ScandiumDtlsCounters>> byValue) {
        byValue.forEach((value, count) -> FunctionCounter.builder(name, dtls, count)
                .description(description)
                .tag(tag, value)
                .register(meters));
    }

    /** One line for the start-up report: what listens where. */
    public String description() {
        return String.format(
                "CoAP           : %s, coaps (DTLS 1.2 PSK%s) udp port %d",
                server.plainAddress() == null
                        ? "plain udp port off (mecgw.coap.allow-unsecured=false)"
                        : "udp port " + server.plainAddress().getPort() + " (unsecured telemetry allowed)",
                config.dtlsKeyStore().isPresent() ? ", X.509" : "",
                server.dtlsAddress().getPort());
    }

    /** Ends a device's DTLS sessions and cached network verdicts at once (issue 15.9); nothing before start. */
    public void revoke(String deviceId) {
        CaliforniumCoapServer running = server;
        if (running != null) {
            running.revoke(deviceId);
        }
    }

    /**
     * The 5G network refused a device's SIM for one of its sessions (issue 15.9): every other session of the device
     * is checked again on its next request, and refused (4.03) unless the network vouches for it. Its DTLS sessions
     * are not ended, so that the refused one still gets its 4.03 with the reason.
     */
    public void recheck(String deviceId) {
        CaliforniumCoapServer running = server;
        if (running != null) {
            running.recheck(deviceId);
        }
    }

    /** Stops the endpoints, then the subscriptions and the worker pools (up to 5 s each). */
    @Override
    public void close() throws Exception {
        if (server != null) {
            server.close();
        }
        for (AutoCloseable resource : resources) {
            resource.close();
        }
        for (ExecutorService executor : new ExecutorService[] {housekeeping, pskLookups, workers}) {
            if (executor != null) {
                executor.shutdown();
                executor.awaitTermination(5, TimeUnit.SECONDS);
            }
        }
    }

    /** Bound plain CoAP address; null before start, and when unsecured CoAP is off (the port is not bound). */
    public InetSocketAddress plainAddress() {
        return server == null ? null : server.plainAddress();
    }

    /** Bound DTLS address; null before start. */
    public InetSocketAddress dtlsAddress() {
        return server == null ? null : server.dtlsAddress();
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
                        new RegistryCertificateVerifier(with.clientCertificates(), pskLookups)));
            }
        }
        throw new IllegalStateException(
                "No key entry in " + config.dtlsKeyStore().get());
    }

    private static ThreadPoolExecutor pool(String name, int threads, int queue) {
        ThreadPoolExecutor pool = new ThreadPoolExecutor(
                threads, threads, 60, TimeUnit.SECONDS, new ArrayBlockingQueue<>(queue), DaemonThreads.named(name));
        pool.allowCoreThreadTimeOut(true);
        return pool;
    }
}
