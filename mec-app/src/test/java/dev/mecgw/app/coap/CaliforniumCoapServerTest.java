package dev.mecgw.app.coap;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mecgw.app.events.EventLog;
import dev.mecgw.app.ingest.TelemetryIngest;
import dev.mecgw.app.ingest.TelemetryPayloadParser;
import dev.mecgw.app.registry.DeviceRegistry;
import dev.mecgw.app.telemetry.Reading;
import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.cert.X509Certificate;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import org.eclipse.californium.scandium.dtls.CertificateType;
import org.eclipse.californium.scandium.dtls.x509.SingleCertificateProvider;
import org.eclipse.californium.scandium.dtls.x509.StaticNewAdvancedCertificateVerifier;
import org.junit.jupiter.api.io.TempDir;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.eclipse.californium.core.CoapClient;
import org.eclipse.californium.core.CoapResponse;
import org.eclipse.californium.core.coap.CoAP.ResponseCode;
import org.eclipse.californium.core.coap.MediaTypeRegistry;
import org.eclipse.californium.core.network.CoapEndpoint;
import org.eclipse.californium.core.network.Endpoint;
import org.eclipse.californium.elements.config.Configuration;
import org.eclipse.californium.scandium.DTLSConnector;
import org.eclipse.californium.scandium.config.DtlsConfig;
import org.eclipse.californium.scandium.config.DtlsConnectorConfig;
import org.eclipse.californium.scandium.dtls.pskstore.AdvancedSinglePskStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The endpoint with the telemetry route and an in-memory ingest, without Quarkus or a database. */
class CaliforniumCoapServerTest {

    private static final byte[] KEY = "0123456789abcdef".getBytes();

    @TempDir
    Path dir;

    private final List<Reading> ingested = new CopyOnWriteArrayList<>();
    private final ExecutorService workers = Executors.newFixedThreadPool(2);
    private CaliforniumCoapServer server;
    private Endpoint client;

    @AfterEach
    void tearDown() throws Exception {
        if (client != null) {
            client.destroy();
        }
        if (server != null) {
            server.close();
        }
        workers.shutdownNow();
        workers.awaitTermination(5, TimeUnit.SECONDS);
    }

    @Test
    void shouldRefuseUnsecuredTelemetryWhenNotAllowed() throws Exception {
        // given the default: allow-unsecured=false
        givenAServer(false, 1000, 1000);

        // when
        CoapResponse response = plainClient("/telemetry/dev-1").post("{\"t\":1}", MediaTypeRegistry.APPLICATION_JSON);

        // then
        assertThat(response.getCode()).isEqualTo(ResponseCode.UNAUTHORIZED);
        assertThat(response.getPayloadSize()).isZero();
        assertThat(ingested).isEmpty();
    }

    @Test
    void shouldAnswerServiceUnavailableWithMaxAgeWhenDeviceExceedsItsRate() throws Exception {
        // given a burst of 2 and one request per second
        givenAServer(false, 1, 2);
        CoapClient client = dtlsClient("/telemetry");

        // when
        CoapResponse first = client.post("{\"t\":1}", MediaTypeRegistry.APPLICATION_JSON);
        CoapResponse second = client.post("{\"t\":2}", MediaTypeRegistry.APPLICATION_JSON);
        CoapResponse third = client.post("{\"t\":3}", MediaTypeRegistry.APPLICATION_JSON);

        // then
        assertThat(first.getCode()).isEqualTo(ResponseCode.CHANGED);
        assertThat(second.getCode()).isEqualTo(ResponseCode.CHANGED);
        assertThat(third.getCode()).isEqualTo(ResponseCode.SERVICE_UNAVAILABLE);
        assertThat(third.getOptions().getMaxAge()).isEqualTo(CoapErrorResponse.RETRY_AFTER_SECONDS);
        assertThat(ingested).extracting(Reading::value).containsExactly(1.0, 2.0);
    }

    @Test
    void shouldIdentifyDeviceWhenItPresentsRegisteredCertificate() throws Exception {
        // given
        KeyStore.PrivateKeyEntry device = keyPair("device");
        givenAServer(false, 1000, 1000, Map.of(fingerprint(device), "cert-device"));
        CoapClient client = certificateClient(device, "/telemetry");

        // when
        CoapResponse response = client.post("{\"t\":7}", MediaTypeRegistry.APPLICATION_JSON);

        // then
        assertThat(response.getCode()).isEqualTo(ResponseCode.CHANGED);
        assertThat(ingested).containsExactly(new Reading("cert-device", "t", ingested.get(0).ts(), 7));
    }

    @Test
    void shouldFailHandshakeWhenCertificateIsNotRegistered() throws Exception {
        // given
        KeyStore.PrivateKeyEntry stranger = keyPair("stranger");
        givenAServer(false, 1000, 1000, Map.of());
        CoapClient client = certificateClient(stranger, "/telemetry");

        // when
        CoapResponse[] response = new CoapResponse[1];
        Throwable failure = org.assertj.core.api.Assertions.catchThrowable(() -> response[0] = client.post(
                "{\"t\":7}", MediaTypeRegistry.APPLICATION_JSON));

        // then
        assertThat(failure != null || response[0] == null).isTrue();
        assertThat(ingested).isEmpty();
    }

    private void givenAServer(boolean allowUnsecured, int rate, int burst) throws Exception {
        givenAServer(allowUnsecured, rate, burst, null);
    }

    private void givenAServer(boolean allowUnsecured, int rate, int burst, Map<String, String> certificates)
            throws Exception {
        DeviceRegistry registry = (DeviceRegistry) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {DeviceRegistry.class}, (proxy, method, args) -> null);
        EventLog events = (deviceId, kind, severity, payload) -> { };
        CoapDevices devices = new CoapDevices(registry, events, workers, Duration.ofMinutes(5));
        TelemetryIngest ingest = readings -> {
            ingested.addAll(readings);
            return CompletableFuture.completedFuture(null);
        };
        TelemetryResource telemetry = new TelemetryResource(new CoapAuthenticator(),
                new TelemetryPayloadParser(new ObjectMapper()), ingest, devices);
        Optional<ServerCertificate> x509 = Optional.empty();
        if (certificates != null) {
            KeyStore.PrivateKeyEntry gateway = keyPair("gateway");
            x509 = Optional.of(new ServerCertificate(gateway.getPrivateKey(),
                    (X509Certificate[]) gateway.getCertificateChain(), new RegistryCertificateVerifier(
                            fingerprint -> Optional.ofNullable(certificates.get(fingerprint)), workers)));
        }
        server = new CaliforniumCoapServer(new TestConfig(allowUnsecured, rate, burst), List.of(telemetry),
                new AdvancedSinglePskStore("dev-1", KEY), x509);
        server.start();
    }

    private CoapClient plainClient(String path) {
        client = CoapEndpoint.builder().setInetSocketAddress(new InetSocketAddress("127.0.0.1", 0)).build();
        CoapClient coap = new CoapClient("coap://127.0.0.1:" + server.plainAddress().getPort() + path);
        coap.setEndpoint(client);
        return coap;
    }

    private CoapClient dtlsClient(String path) {
        Configuration config = Configuration.createStandardWithoutFile();
        config.set(DtlsConfig.DTLS_ROLE, DtlsConfig.DtlsRole.CLIENT_ONLY);
        client = CoapEndpoint.builder().setConfiguration(config).setConnector(new DTLSConnector(
                DtlsConnectorConfig.builder(config).setAddress(new InetSocketAddress("127.0.0.1", 0))
                        .setAdvancedPskStore(new AdvancedSinglePskStore("dev-1", KEY)).build())).build();
        CoapClient coap = new CoapClient("coaps://127.0.0.1:" + server.dtlsAddress().getPort() + path);
        coap.setEndpoint(client);
        coap.setTimeout(5_000L);
        return coap;
    }

    private CoapClient certificateClient(KeyStore.PrivateKeyEntry identity, String path) {
        Configuration config = Configuration.createStandardWithoutFile();
        config.set(DtlsConfig.DTLS_ROLE, DtlsConfig.DtlsRole.CLIENT_ONLY);
        config.set(DtlsConfig.DTLS_MAX_RETRANSMISSIONS, 1);
        client = CoapEndpoint.builder().setConfiguration(config).setConnector(new DTLSConnector(
                DtlsConnectorConfig.builder(config).setAddress(new InetSocketAddress("127.0.0.1", 0))
                        .setCertificateIdentityProvider(new SingleCertificateProvider(identity.getPrivateKey(),
                                identity.getCertificateChain(), CertificateType.X_509))
                        .setAdvancedCertificateVerifier(StaticNewAdvancedCertificateVerifier.builder()
                                .setTrustAllCertificates().build())
                        .build())).build();
        CoapClient coap = new CoapClient("coaps://127.0.0.1:" + server.dtlsAddress().getPort() + path);
        coap.setEndpoint(client);
        coap.setTimeout(5_000L);
        return coap;
    }

    /** A self-signed EC certificate made with the JDK's keytool. */
    private KeyStore.PrivateKeyEntry keyPair(String name) throws Exception {
        Path file = dir.resolve(name + ".p12");
        Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair", "-alias", name, "-keyalg", "EC", "-groupname", "secp256r1", "-sigalg",
                "SHA256withECDSA", "-dname", "CN=" + name, "-validity", "2", "-storetype", "PKCS12",
                "-ext", "SAN=ip:127.0.0.1", "-keystore", file.toString(), "-storepass", "changeit",
                "-keypass", "changeit")
                .redirectErrorStream(true).start();
        assertThat(keytool.waitFor(30, TimeUnit.SECONDS)).isTrue();
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (var in = Files.newInputStream(file)) {
            store.load(in, "changeit".toCharArray());
        }
        return (KeyStore.PrivateKeyEntry) store.getEntry(name,
                new KeyStore.PasswordProtection("changeit".toCharArray()));
    }

    private static String fingerprint(KeyStore.PrivateKeyEntry entry) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                .digest(entry.getCertificate().getEncoded()));
    }

    /** The mapping's defaults with free ports and the given switches. */
    private record TestConfig(boolean allowUnsecured, int peerRate, int peerBurst) implements CoapConfig {
        public boolean enabled() {
            return true;
        }

        public String host() {
            return "127.0.0.1";
        }

        public int port() {
            return 0;
        }

        public int dtlsPort() {
            return 0;
        }

        public int maxMessageSize() {
            return 1024;
        }

        public int blockSize() {
            return 1024;
        }

        public int maxBodySize() {
            return 1 << 20;
        }

        public int dtlsMaxConnections() {
            return 100;
        }

        public int dtlsMaxPendingHandshakes() {
            return 64;
        }

        public Duration presenceTimeout() {
            return Duration.ofMinutes(5);
        }

        public int protocolThreads() {
            return 2;
        }

        public Optional<Path> dtlsKeyStore() {
            return Optional.empty();
        }

        public Optional<String> dtlsKeyStorePassword() {
            return Optional.empty();
        }
    }
}
