package dev.mecgw.app.coap;

import java.net.InetSocketAddress;
import java.security.Principal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.LongSupplier;
import org.eclipse.californium.core.CoapServer;
import org.eclipse.californium.core.network.CoapEndpoint;
import org.eclipse.californium.core.network.Endpoint;
import org.eclipse.californium.core.network.InMemoryMessageExchangeStore;
import org.eclipse.californium.core.server.resources.Resource;
import org.eclipse.californium.elements.config.CertificateAuthenticationMode;
import org.eclipse.californium.elements.config.Configuration;
import org.eclipse.californium.elements.config.UdpConfig;
import org.eclipse.californium.elements.util.Filter;
import org.eclipse.californium.scandium.DTLSConnector;
import org.eclipse.californium.scandium.config.DtlsConfig;
import org.eclipse.californium.scandium.config.DtlsConfig.DtlsRole;
import org.eclipse.californium.scandium.config.DtlsConnectorConfig;
import org.eclipse.californium.scandium.dtls.CertificateType;
import org.eclipse.californium.scandium.dtls.cipher.CipherSuite;
import org.eclipse.californium.scandium.dtls.pskstore.AdvancedPskStore;
import org.eclipse.californium.scandium.dtls.x509.SingleCertificateProvider;
import org.jboss.logging.Logger;

/**
 * The CoAP endpoint: one Californium server with a plain UDP endpoint and a Scandium DTLS 1.2 endpoint
 * (PSK and optionally registered client certificates, HelloVerifyRequest always on, bounded connections and pending handshakes), message and body size
 * limits, and the {@link CoapRequestDeliverer} in front of the resource tree. No business logic here.
 */
class CaliforniumCoapServer implements AutoCloseable {

    static {
        org.eclipse.californium.core.config.CoapConfig.register();
        DtlsConfig.register();
        UdpConfig.register();
    }

    private static final int SOCKET_BUFFER_BYTES = 1 << 20;
    private static final Duration REVOKE_WAIT = Duration.ofSeconds(2);
    private static final Logger LOG = Logger.getLogger(CaliforniumCoapServer.class);

    private final CoapConfig config;
    private final Configuration californium;
    private final CoapServer server;
    private final CoapPeerSessions sessions;
    private final CoapNetworkGate gate;
    private final Block1Guard block1;
    private final ScandiumDtlsCounters dtlsCounters = new ScandiumDtlsCounters();
    private Endpoint plain;
    private Endpoint secure;
    private DTLSConnector dtls;
    private BudgetedDeduplicator secureDeduplicator;

    /**
     * @param resources the route families, added under the root
     * @param pskStore authenticates DTLS PSK handshakes
     * @param certificates the gateway's certificate and the client-certificate verifier; empty turns X.509
     *     client authentication off
     */
    public CaliforniumCoapServer(
            CoapConfig config,
            List<Resource> resources,
            AdvancedPskStore pskStore,
            Optional<ServerCertificate> certificates) {
        this(config, resources, pskStore, certificates, null);
    }

    /** @param gate checks devices against the 5G network (issue #7), or null for none */
    public CaliforniumCoapServer(
            CoapConfig config,
            List<Resource> resources,
            AdvancedPskStore pskStore,
            Optional<ServerCertificate> certificates,
            CoapNetworkGate gate) {
        this(config, resources, pskStore, certificates, gate, System::nanoTime);
    }

    /** @param peerClock {@link System#nanoTime()} or a test clock: the per-peer rate buckets refill by it */
    CaliforniumCoapServer(
            CoapConfig config,
            List<Resource> resources,
            AdvancedPskStore pskStore,
            Optional<ServerCertificate> certificates,
            CoapNetworkGate gate,
            LongSupplier peerClock) {
        this.config = config;
        this.gate = gate;
        this.californium = californiumConfig(config, certificates.isPresent());
        this.server = new CoapServer(californium);
        this.sessions = new CoapPeerSessions(
                config.peerRate(),
                config.peerBurst(),
                Math.max(1024, config.dtlsMaxConnections() * 2),
                config.maxPeersPerAddress(),
                Duration.ofMinutes(2).toNanos(),
                peerClock);
        Resource wellKnown = server.getRoot().getChild(".well-known");
        wellKnown.delete(wellKnown.getChild("core"));
        wellKnown.add(new GuardedDiscoveryResource(server.getRoot(), new CoapAuthenticator()));
        resources.forEach(server::add);
        server.setMessageDeliverer(
                new CoapRequestDeliverer(server.getRoot(), californium, sessions, config.allowUnsecured(), gate));
        // Issue 15 item 1: Block1 state is authorized and budgeted on its first block, on both endpoints.
        Duration lifetime = config.block1Lifetime();
        this.block1 = new Block1Guard(
                new Block1Budget(
                        config.block1MaxTotalBytes(),
                        Math.max(config.block1MaxAddressBytes(), config.maxBodySize()),
                        lifetime.plus(sweepInterval(lifetime)).toNanos(),
                        System::nanoTime),
                config.allowUnsecured(),
                config.maxBodySize(),
                config.maxTelemetryBodySize());
        // Issue 15 item 1: without unsecured telemetry the plain port could only answer 4.01 and a one-block
        // discovery (the full listing needs DTLS anyway), so it is not bound at all: no UDP surface before a handshake.
        // Issue 18 finding 1: the deduplication cache is bounded in bytes; with both ports bound each gets half.
        // Each endpoint's stack refuses what its deduplicator has no room for (review finding,
        // DeduplicationRefusalLayer).
        long dedupBudget = config.allowUnsecured() ? config.exchangeMemoryBudget() / 2 : config.exchangeMemoryBudget();
        BudgetedDeduplicator plainDeduplicator = config.allowUnsecured() ? deduplicator(dedupBudget) : null;
        secureDeduplicator = deduplicator(dedupBudget);
        plain = config.allowUnsecured()
                ? CoapEndpoint.builder()
                        .setConfiguration(californium)
                        .setMessageExchangeStore(exchangeStore(plainDeduplicator))
                        .setCoapStackFactory(GuardedBlockwiseLayer.stackFactory(block1, plainDeduplicator))
                        .setInetSocketAddress(new InetSocketAddress(config.host(), config.port()))
                        .build()
                : null;
        secure = CoapEndpoint.builder()
                .setConfiguration(californium)
                .setMessageExchangeStore(exchangeStore(secureDeduplicator))
                .setCoapStackFactory(GuardedBlockwiseLayer.stackFactory(block1, secureDeduplicator))
                .setConnector(dtls = new DTLSConnector(dtlsConfig(pskStore, certificates)))
                .build();
        // Issue 13 item 5: an unknown PSK identity shows only as an internal alert, reported to this handler.
        dtls.setAlertHandler(dtlsCounters);
        if (plain != null) {
            plain.addInterceptor(new AntiAmplificationInterceptor());
            server.addEndpoint(plain);
        }
        server.addEndpoint(secure);
    }

    /** Binds both endpoints and starts serving. */
    public void start() {
        server.start();
    }

    /**
     * Address the plain CoAP endpoint is bound to (the real port when configured with 0); null when it is not bound
     * because {@code mecgw.coap.allow-unsecured} is off.
     */
    public InetSocketAddress plainAddress() {
        return plain == null ? null : plain.getAddress();
    }

    /** Address the DTLS endpoint is bound to (the real port when configured with 0). */
    public InetSocketAddress dtlsAddress() {
        return secure.getAddress();
    }

    /** Block-wise uploads: bytes reserved, transfers and refusals, for metrics. */
    Block1Guard block1() {
        return block1;
    }

    /** Refused DTLS handshakes and dropped records, for metrics. */
    ScandiumDtlsCounters dtlsCounters() {
        return dtlsCounters;
    }

    /** The peer table, for metrics. */
    CoapPeerSessions sessions() {
        return sessions;
    }

    /**
     * Ends the DTLS sessions of a device at once, also for resumption, and forgets its network verdicts (issue
     * 15.9): its next request needs a new handshake with its current credentials.
     */
    public void revoke(String deviceId) {
        Future<Void> ended = dtls.startTerminateConnectionsForPrincipal(
                (Filter<Principal>) principal -> deviceId.equals(CoapAuthenticator.deviceId(principal)), true);
        recheck(deviceId);
        // Termination runs on the connector's threads; wait for it (briefly) so that a request that arrives after
        // the delete or re-key returned can no longer use the old session. Callers are registry changes, which
        // already block on the database.
        try {
            ended.get(REVOKE_WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            LOG.warnf("DTLS sessions of %s not confirmed ended within %s: %s", deviceId, REVOKE_WAIT, e.toString());
        }
    }

    /** Forgets a device's network verdicts: each of its sessions is checked by the 5G network again on its next request. */
    public void recheck(String deviceId) {
        if (gate != null) {
            gate.forget(deviceId);
        }
    }

    /** Sweeps idle peer sessions; called periodically. */
    public void sweep() {
        sessions.sweep();
        if (gate != null) {
            gate.sweep(System.nanoTime());
        }
    }

    @Override
    public void close() {
        server.stop();
        server.destroy();
    }

    /** The deduplicator of the DTLS endpoint, for metrics and tests. */
    BudgetedDeduplicator deduplicator() {
        return secureDeduplicator;
    }

    private BudgetedDeduplicator deduplicator(long budgetBytes) {
        Duration span = BudgetedDeduplicator.span(californium, config.deduplicationLatencyAllowance());
        // What a device within its limits may have kept at once: rate-limited requests over the span, and the
        // blocks of one largest upload, which pass below the rate limit (it counts the reassembled request).
        long busyDevice = config.peerBurst()
                + (long) config.peerRate() * ((span.toMillis() + 999) / 1000)
                + (config.maxBodySize() + config.blockSize() - 1) / config.blockSize();
        return new BudgetedDeduplicator(
                budgetBytes,
                config.maxMessageSize(),
                BudgetedDeduplicator.peerBytes(
                        budgetBytes, config.deduplicationPeerShare(), busyDevice, config.maxMessageSize()),
                span.toNanos(),
                BudgetedDeduplicator::firmwareGet,
                System::nanoTime);
    }

    private InMemoryMessageExchangeStore exchangeStore(BudgetedDeduplicator deduplicator) {
        InMemoryMessageExchangeStore store = new InMemoryMessageExchangeStore(californium);
        store.setDeduplicator(deduplicator);
        return store;
    }

    /** How often Californium sweeps expired block-wise state: a quarter of the lifetime, 1..5 s. */
    private static Duration sweepInterval(Duration lifetime) {
        long millis = Math.max(1000, Math.min(5000, lifetime.toMillis() / 4));
        return Duration.ofMillis(millis);
    }

    private DtlsConnectorConfig dtlsConfig(AdvancedPskStore pskStore, Optional<ServerCertificate> certificates) {
        DtlsConnectorConfig.Builder builder = DtlsConnectorConfig.builder(californium)
                .setAddress(new InetSocketAddress(config.host(), config.dtlsPort()))
                .setAdvancedPskStore(pskStore)
                // Issue 13 item 5: refusals the peer is never told about are counted (ScandiumDtlsCounters).
                .setHealthHandler(dtlsCounters)
                .setConnectionListener(dtlsCounters);
        certificates.ifPresent(c -> builder.setCertificateIdentityProvider(
                        new SingleCertificateProvider(c.key(), c.chain(), CertificateType.X_509))
                .setAdvancedCertificateVerifier(c.verifier())
                .setApplicationLevelInfoSupplier(RegistryCertificateVerifier.deviceInfo()));
        return builder.build();
    }

    private static Configuration californiumConfig(CoapConfig config, boolean x509) {
        Configuration c = Configuration.createStandardWithoutFile();
        c.set(org.eclipse.californium.core.config.CoapConfig.MAX_MESSAGE_SIZE, config.maxMessageSize());
        c.set(org.eclipse.californium.core.config.CoapConfig.PREFERRED_BLOCK_SIZE, config.blockSize());
        c.set(org.eclipse.californium.core.config.CoapConfig.MAX_RESOURCE_BODY_SIZE, config.maxBodySize());
        // Stale transfers go quickly (issue 15 item 1): the lifetime counts from a transfer's last block.
        c.set(
                org.eclipse.californium.core.config.CoapConfig.BLOCKWISE_STATUS_LIFETIME,
                config.block1Lifetime().toMillis(),
                TimeUnit.MILLISECONDS);
        c.set(
                org.eclipse.californium.core.config.CoapConfig.BLOCKWISE_STATUS_INTERVAL,
                sweepInterval(config.block1Lifetime()).toMillis(),
                TimeUnit.MILLISECONDS);
        c.set(org.eclipse.californium.core.config.CoapConfig.PROTOCOL_STAGE_THREAD_COUNT, config.protocolThreads());
        c.set(org.eclipse.californium.core.config.CoapConfig.MAX_ACTIVE_PEERS, config.dtlsMaxConnections());
        // Deduplication is BudgetedDeduplicator, set on each endpoint's exchange store (bounded in bytes, issue 18);
        // offloading drops the payloads of answered exchanges kept only for deduplication.
        c.set(org.eclipse.californium.core.config.CoapConfig.USE_MESSAGE_OFFLOADING, true);
        c.set(DtlsConfig.DTLS_ROLE, DtlsRole.SERVER_ONLY);
        // AEAD suites only (CBC suites are not recommended, RFC 9325).
        // GCM first: the JDK accelerates it, while CCM runs block by block in Java; CCM_8 stays for the
        // constrained stacks that offer nothing else.
        List<CipherSuite> suites = new ArrayList<>(List.of(
                CipherSuite.TLS_PSK_WITH_AES_128_GCM_SHA256,
                CipherSuite.TLS_PSK_WITH_AES_128_CCM_8,
                CipherSuite.TLS_PSK_WITH_AES_128_CCM));
        if (x509) {
            suites.addAll(List.of(
                    CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,
                    CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_CCM_8));
            // Only certificate suites send a CertificateRequest; PSK handshakes are unaffected.
            c.set(DtlsConfig.DTLS_CLIENT_AUTHENTICATION_MODE, CertificateAuthenticationMode.NEEDED);
        }
        c.set(DtlsConfig.DTLS_CIPHER_SUITES, suites);
        // Stateless cookie exchange before any handshake state or large flight: no amplification, no
        // spoofed-source state (RFC 6347 section 4.2.1), also for PSK.
        c.set(DtlsConfig.DTLS_USE_HELLO_VERIFY_REQUEST, true);
        c.set(DtlsConfig.DTLS_USE_HELLO_VERIFY_REQUEST_FOR_PSK, true);
        c.set(DtlsConfig.DTLS_MAX_CONNECTIONS, config.dtlsMaxConnections());
        c.set(DtlsConfig.DTLS_MAX_PENDING_HANDSHAKE_RESULT_JOBS, config.dtlsMaxPendingHandshakes());
        c.set(
                DtlsConfig.DTLS_STALE_CONNECTION_THRESHOLD,
                config.dtlsStaleConnectionThreshold().toSeconds(),
                TimeUnit.SECONDS);
        c.set(DtlsConfig.DTLS_MAX_RETRANSMISSIONS, 4);
        c.set(DtlsConfig.DTLS_RECEIVER_THREAD_COUNT, 1);
        c.set(DtlsConfig.DTLS_CONNECTOR_THREAD_COUNT, config.protocolThreads());
        c.set(UdpConfig.UDP_RECEIVER_THREAD_COUNT, 1);
        c.set(UdpConfig.UDP_SENDER_THREAD_COUNT, 1);
        // Room for bursts while the single receiver thread is descheduled; the kernel caps these at
        // net.core.rmem_max / wmem_max.
        c.set(UdpConfig.UDP_RECEIVE_BUFFER_SIZE, SOCKET_BUFFER_BYTES);
        c.set(UdpConfig.UDP_SEND_BUFFER_SIZE, SOCKET_BUFFER_BYTES);
        c.set(DtlsConfig.DTLS_RECEIVE_BUFFER_SIZE, SOCKET_BUFFER_BYTES);
        c.set(DtlsConfig.DTLS_SEND_BUFFER_SIZE, SOCKET_BUFFER_BYTES);
        return c;
    }
}
