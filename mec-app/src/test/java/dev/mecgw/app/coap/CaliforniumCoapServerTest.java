package dev.mecgw.app.coap;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mecgw.app.events.RejectedPayloadEvents;
import dev.mecgw.app.ingest.TelemetryIngest;
import dev.mecgw.app.ingest.TelemetryPayloadParser;
import dev.mecgw.app.registry.DeviceRegistry;
import dev.mecgw.app.telemetry.Reading;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.lang.reflect.Proxy;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
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
import org.junit.jupiter.api.io.TempDir;

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
        KeyStore.PrivateKeyEntry device = TestCertificates.create(dir, "device");
        givenAServer(false, 1000, 1000, Map.of(TestCertificates.fingerprint(device), "cert-device"));
        CoapClient client = certificateClient(device, "/telemetry");

        // when
        CoapResponse response = client.post("{\"t\":7}", MediaTypeRegistry.APPLICATION_JSON);

        // then
        assertThat(response.getCode()).isEqualTo(ResponseCode.CHANGED);
        assertThat(ingested)
                .containsExactly(new Reading("cert-device", "t", ingested.get(0).ts(), 7));
    }

    @Test
    void shouldFailHandshakeWhenCertificateIsNotRegistered() throws Exception {
        // given
        KeyStore.PrivateKeyEntry stranger = TestCertificates.create(dir, "stranger");
        givenAServer(false, 1000, 1000, Map.of());
        CoapClient client = certificateClient(stranger, "/telemetry");

        // when
        CoapResponse[] response = new CoapResponse[1];
        Throwable failure = org.assertj.core.api.Assertions.catchThrowable(
                () -> response[0] = client.post("{\"t\":7}", MediaTypeRegistry.APPLICATION_JSON));

        // then
        assertThat(failure != null || response[0] == null).isTrue();
        assertThat(ingested).isEmpty();
    }

    @Test
    void shouldKeepServingDevicesWhenDtlsPortIsFloodedWithHandshakes() throws Exception {
        // given a device with an established session
        givenAServer(false, 100_000, 100_000);
        CoapClient device = dtlsClient("/telemetry");
        assertThat(device.post("{\"n\":0}", MediaTypeRegistry.APPLICATION_JSON).getCode())
                .isEqualTo(ResponseCode.CHANGED);
        InetSocketAddress port = server.dtlsAddress();
        ExecutorService flooders = Executors.newFixedThreadPool(12);
        List<Future<DtlsFlood.HelloResult>> hellos = new ArrayList<>();
        AtomicLong intrudersAccepted = new AtomicLong();

        // when 6 fake peers send 150 cookie-less ClientHellos each and 6 clients run wrong-key handshakes
        // (with the device's identity and with unknown ones), while the device keeps posting
        for (int i = 0; i < 6; i++) {
            String identity = i % 2 == 0 ? "dev-1" : "intruder-" + i;
            hellos.add(flooders.submit(() -> DtlsFlood.helloFromOneSocket(port, 150)));
            flooders.execute(() -> DtlsFlood.badKeyClient(port, identity, 4, intrudersAccepted));
        }
        flooders.shutdown();
        List<ResponseCode> during = new ArrayList<>();
        while (during.size() < 20 || !flooders.isTerminated()) {
            during.add(device.post("{\"n\":" + (during.size() + 1) + "}", MediaTypeRegistry.APPLICATION_JSON)
                    .getCode());
        }
        Endpoint late = DtlsFlood.pskEndpoint("dev-1", KEY, 3);
        CoapClient reconnecting = new CoapClient("coaps://127.0.0.1:" + port.getPort() + "/telemetry");
        reconnecting.setEndpoint(late);
        CoapResponse afterFlood = reconnecting.post("{\"late\":1}", MediaTypeRegistry.APPLICATION_JSON);
        late.destroy();

        // then every post got its 2.04, no wrong key got in, and the cookie exchange answered each
        // ClientHello statelessly with fewer bytes than it carried (no amplification)
        assertThat(during).containsOnly(ResponseCode.CHANGED);
        assertThat(afterFlood.getCode()).isEqualTo(ResponseCode.CHANGED);
        assertThat(ingested).filteredOn(r -> r.metric().equals("n")).hasSize(during.size() + 1);
        assertThat(ingested).noneMatch(r -> r.metric().equals("intruder"));
        assertThat(intrudersAccepted).hasValue(0);
        for (Future<DtlsFlood.HelloResult> result : hellos) {
            DtlsFlood.HelloResult hello = result.get();
            assertThat(hello.answered()).isPositive();
            assertThat(hello.largestAnswer()).isLessThan(DtlsFlood.clientHello(0).length);
        }
    }

    private void givenAServer(boolean allowUnsecured, int rate, int burst) throws Exception {
        givenAServer(allowUnsecured, rate, burst, null);
    }

    private void givenAServer(boolean allowUnsecured, int rate, int burst, Map<String, String> certificates)
            throws Exception {
        DeviceRegistry registry = (DeviceRegistry) Proxy.newProxyInstance(
                getClass().getClassLoader(), new Class<?>[] {DeviceRegistry.class}, (proxy, method, args) -> null);
        RejectedPayloadEvents rejections = new RejectedPayloadEvents(
                (deviceId, kind, severity, payload) -> {}, Clock.systemUTC(), 16, 16, new SimpleMeterRegistry());
        CoapDevices devices = new CoapDevices(registry, rejections, workers, Duration.ofMinutes(5));
        TelemetryIngest ingest = readings -> {
            ingested.addAll(readings);
            return CompletableFuture.completedFuture(null);
        };
        TelemetryResource telemetry = new TelemetryResource(
                new CoapAuthenticator(),
                new TelemetryPayloadParser(
                        new ObjectMapper(),
                        Clock.systemUTC(),
                        Instant.parse("2000-01-01T00:00:00Z"),
                        Duration.ofDays(1)),
                ingest,
                devices);
        Optional<ServerCertificate> x509 = Optional.empty();
        if (certificates != null) {
            KeyStore.PrivateKeyEntry gateway = TestCertificates.create(dir, "gateway");
            x509 = Optional.of(new ServerCertificate(
                    gateway.getPrivateKey(),
                    (X509Certificate[]) gateway.getCertificateChain(),
                    new RegistryCertificateVerifier(
                            dev.mecgw.app.credentials.ClientCertificates.fingerprintsOnly(
                                    fingerprint -> Optional.ofNullable(certificates.get(fingerprint))
                                            .map(id -> new dev.mecgw.app.acl.Principal(id, "camera"))),
                            workers)));
        }
        server = new CaliforniumCoapServer(
                new TestCoapConfig(allowUnsecured, rate, burst),
                List.of(telemetry),
                new AdvancedSinglePskStore("dev-1", KEY),
                x509);
        server.start();
    }

    private CoapClient plainClient(String path) {
        client = CoapEndpoint.builder()
                .setInetSocketAddress(new InetSocketAddress("127.0.0.1", 0))
                .build();
        CoapClient coap =
                new CoapClient("coap://127.0.0.1:" + server.plainAddress().getPort() + path);
        coap.setEndpoint(client);
        return coap;
    }

    private CoapClient dtlsClient(String path) {
        Configuration config = Configuration.createStandardWithoutFile();
        config.set(DtlsConfig.DTLS_ROLE, DtlsConfig.DtlsRole.CLIENT_ONLY);
        client = CoapEndpoint.builder()
                .setConfiguration(config)
                .setConnector(new DTLSConnector(DtlsConnectorConfig.builder(config)
                        .setAddress(new InetSocketAddress("127.0.0.1", 0))
                        .setAdvancedPskStore(new AdvancedSinglePskStore("dev-1", KEY))
                        .build()))
                .build();
        CoapClient coap =
                new CoapClient("coaps://127.0.0.1:" + server.dtlsAddress().getPort() + path);
        coap.setEndpoint(client);
        coap.setTimeout(5_000L);
        return coap;
    }

    private CoapClient certificateClient(KeyStore.PrivateKeyEntry identity, String path) {
        client = TestCertificates.clientEndpoint(identity, null);
        CoapClient coap =
                new CoapClient("coaps://127.0.0.1:" + server.dtlsAddress().getPort() + path);
        coap.setEndpoint(client);
        coap.setTimeout(5_000L);
        return coap;
    }
}
