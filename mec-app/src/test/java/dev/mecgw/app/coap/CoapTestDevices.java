package dev.mecgw.app.coap;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mecgw.app.coap.app.CoapLifecycle;
import dev.mecgw.app.registry.CredentialsRequest;
import dev.mecgw.app.registry.DeviceRegistry;
import dev.mecgw.app.registry.DeviceRequest;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.eclipse.californium.core.CoapClient;
import org.eclipse.californium.core.CoapHandler;
import org.eclipse.californium.core.CoapResponse;
import org.eclipse.californium.core.coap.MediaTypeRegistry;
import org.eclipse.californium.core.network.CoapEndpoint;
import org.eclipse.californium.core.network.Endpoint;
import org.eclipse.californium.elements.config.Configuration;
import org.eclipse.californium.scandium.DTLSConnector;
import org.eclipse.californium.scandium.config.DtlsConfig;
import org.eclipse.californium.scandium.config.DtlsConnectorConfig;
import org.eclipse.californium.scandium.dtls.pskstore.AdvancedSinglePskStore;

/**
 * Test fixture: registers devices with fresh PSKs and opens Californium clients (plain and DTLS PSK)
 * against the running gateway's bound ports. Close it after each test to release the client endpoints.
 *
 * <p>Its static helpers build the DTLS PSK client endpoint and its configuration for every CoAP test, in this
 * package and others (the downlink tests in {@code twin}), so that one place says how a test device talks DTLS.
 */
public final class CoapTestDevices implements AutoCloseable {

    private static final SecureRandom RANDOM = new SecureRandom();

    /**
     * How long a test client waits for an answer. It only ends a wait that would otherwise hang, so it is generous:
     * on a loaded 2-core machine a handshake with a PSK lookup in PostgreSQL plus the group commit can take seconds.
     */
    public static final long CLIENT_TIMEOUT_MS = 30_000L;

    private final DeviceRegistry registry;
    private final CoapLifecycle coap;
    private final DataSource dataSource;
    private final List<Endpoint> endpoints = new ArrayList<>();

    CoapTestDevices(DeviceRegistry registry, CoapLifecycle coap, DataSource dataSource) {
        this.registry = registry;
        this.coap = coap;
        this.dataSource = dataSource;
    }

    /** A registered sensor with a random PSK. */
    Device givenADevice() {
        return givenADevice("sensor");
    }

    /** A registered device of the given type with a random PSK. */
    Device givenADevice(String type) {
        String id = "coap-" + UUID.randomUUID().toString().substring(0, 12);
        byte[] psk = new byte[16];
        RANDOM.nextBytes(psk);
        registry.create(new DeviceRequest(
                id,
                type,
                null,
                null,
                null,
                new CredentialsRequest(null, HexFormat.of().formatHex(psk), null)));
        return new Device(id, psk);
    }

    /** A client for a path on the DTLS endpoint, authenticating with the given identity and key. */
    CoapClient dtls(String identity, byte[] key, String path) {
        Configuration config = dtlsClientConfiguration();
        config.set(org.eclipse.californium.core.config.CoapConfig.MAX_RESOURCE_BODY_SIZE, 1 << 20);
        Endpoint endpoint = pskEndpoint(identity, key, config);
        endpoints.add(endpoint);
        return dtlsClient(endpoint, coap.dtlsAddress(), path, CLIENT_TIMEOUT_MS);
    }

    /**
     * The DTLS settings of a well-behaved test client: 4 handshake retransmissions starting at 1 s, so that a
     * flight delayed by a loaded machine or a server busy with a flood is retried rather than ending the
     * handshake after 3.5 s. (Californium 3 also retransmits 4 times by default, but from 2 s.)
     */
    public static Configuration dtlsClientConfiguration() {
        return dtlsClientConfiguration(4, Duration.ofSeconds(1));
    }

    /**
     * The DTLS settings of a test client with its own handshake timers: a client role, {@code retransmissions}
     * retransmissions of a flight, the first after {@code firstRetransmission} (each later one waits twice as
     * long). The callers add their CoAP settings (body size, block size) to the copy they get.
     */
    public static Configuration dtlsClientConfiguration(int retransmissions, Duration firstRetransmission) {
        Configuration config = Configuration.createStandardWithoutFile();
        config.set(DtlsConfig.DTLS_ROLE, DtlsConfig.DtlsRole.CLIENT_ONLY);
        config.set(DtlsConfig.DTLS_MAX_RETRANSMISSIONS, retransmissions);
        config.set(DtlsConfig.DTLS_RETRANSMISSION_TIMEOUT, firstRetransmission.toMillis(), TimeUnit.MILLISECONDS);
        return config;
    }

    /**
     * A DTLS PSK client endpoint on an ephemeral loopback port, authenticating as {@code identity} with {@code key}
     * and using {@code config} (from {@link #dtlsClientConfiguration}) for its timers and CoAP settings. The caller
     * destroys it.
     */
    public static Endpoint pskEndpoint(String identity, byte[] key, Configuration config) {
        return CoapEndpoint.builder()
                .setConfiguration(config)
                .setConnector(new DTLSConnector(DtlsConnectorConfig.builder(config)
                        .setAddress(new InetSocketAddress("127.0.0.1", 0))
                        .setAdvancedPskStore(new AdvancedSinglePskStore(identity, key))
                        .build()))
                .build();
    }

    /** A client for {@code path} on the DTLS port {@code server} through {@code endpoint}, waiting up to {@code timeoutMs}. */
    public static CoapClient dtlsClient(Endpoint endpoint, InetSocketAddress server, String path, long timeoutMs) {
        CoapClient client = new CoapClient("coaps://127.0.0.1:" + server.getPort() + path);
        client.setEndpoint(endpoint);
        client.setTimeout(timeoutMs);
        return client;
    }

    /**
     * The response, or a failed assertion naming the request when the client got none within its timeout (rather
     * than a NullPointerException where the caller reads the code).
     */
    static CoapResponse answered(CoapResponse response, String request) {
        assertThat(response)
                .as("answer to %s within %d ms", request, CLIENT_TIMEOUT_MS)
                .isNotNull();
        return response;
    }

    /**
     * Posts JSON without waiting for the answer: the answer completes the future, a request that ends without one
     * (a handshake that timed out, a cancel) fails it. For requests whose refusal a test awaits through
     * {@link DtlsDecisions} before it checks that nothing was answered ({@link #unanswered}).
     */
    static CompletableFuture<CoapResponse> postAsync(CoapClient client, String json) {
        CompletableFuture<CoapResponse> answer = new CompletableFuture<>();
        client.post(
                new CoapHandler() {
                    @Override
                    public void onLoad(CoapResponse response) {
                        answer.complete(response);
                    }

                    @Override
                    public void onError() {
                        answer.completeExceptionally(new IllegalStateException("request ended without an answer"));
                    }
                },
                json,
                MediaTypeRegistry.APPLICATION_JSON);
        return answer;
    }

    /** True while no answer came: none yet, or the request ended without one. */
    static boolean unanswered(CompletableFuture<CoapResponse> answer) {
        return !answer.isDone() || answer.isCompletedExceptionally();
    }

    /** A client for a path on the plain CoAP endpoint. */
    CoapClient plain(String path) {
        Endpoint endpoint = CoapEndpoint.builder()
                .setInetSocketAddress(new InetSocketAddress("127.0.0.1", 0))
                .build();
        endpoints.add(endpoint);
        CoapClient client =
                new CoapClient("coap://127.0.0.1:" + coap.plainAddress().getPort() + path);
        client.setEndpoint(endpoint);
        client.setTimeout(CLIENT_TIMEOUT_MS);
        return client;
    }

    /** Committed readings of a device. */
    long readings(String deviceId) throws SQLException {
        return count("SELECT count(*) FROM telemetry WHERE device_id = ?", deviceId);
    }

    /** Committed readings of one metric of a device. */
    long readings(String deviceId, String metric) throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps =
                        c.prepareStatement("SELECT count(*) FROM telemetry WHERE device_id = ? AND metric = ?")) {
            ps.setString(1, deviceId);
            ps.setString(2, metric);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    long count(String sql, String deviceId) throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, deviceId);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    @Override
    public void close() {
        endpoints.forEach(Endpoint::destroy);
        endpoints.clear();
    }

    /** A registered device and its key. */
    record Device(String id, byte[] psk) {}
}
