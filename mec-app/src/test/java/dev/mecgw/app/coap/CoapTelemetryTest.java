package dev.mecgw.app.coap;

import static dev.mecgw.app.coap.CoapTestDevices.answered;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.dataformat.cbor.CBORFactory;
import com.fasterxml.jackson.dataformat.cbor.CBORGenerator;
import dev.mecgw.app.coap.DtlsDecisions.Decision;
import dev.mecgw.app.coap.app.CoapLifecycle;
import dev.mecgw.app.credentials.PostgresDeviceCertificates;
import dev.mecgw.app.registry.DeviceRegistry;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import javax.sql.DataSource;
import org.awaitility.Awaitility;
import org.eclipse.californium.core.CoapClient;
import org.eclipse.californium.core.CoapResponse;
import org.eclipse.californium.core.coap.CoAP.ResponseCode;
import org.eclipse.californium.core.coap.MediaTypeRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Telemetry over CoAP and CoAPS with Californium's client against the running gateway. */
@QuarkusTest
class CoapTelemetryTest {

    @Inject
    DeviceRegistry registry;

    @Inject
    CoapLifecycle coap;

    @Inject
    DataSource dataSource;

    @Inject
    MeterRegistry meters;

    private CoapTestDevices devices;

    @BeforeEach
    void setUp() {
        devices = new CoapTestDevices(registry, coap, dataSource);
    }

    @AfterEach
    void tearDown() {
        devices.close();
    }

    @Test
    void shouldAnswerChangedOnlyAfterCommitWhenDevicePostsJsonOverDtls() throws Exception {
        // given
        CoapTestDevices.Device device = devices.givenADevice();
        CoapClient client = devices.dtls(device.id(), device.psk(), "/telemetry");

        // when
        CoapResponse response =
                answered(client.post("{\"temp\": 21.5, \"hum\": 40}", MediaTypeRegistry.APPLICATION_JSON), "response");

        // then: the 2.04 implies the rows are already visible
        assertThat(response.getCode()).isEqualTo(ResponseCode.CHANGED);
        assertThat(devices.readings(device.id())).isEqualTo(2);
    }

    @Test
    void shouldStoreReadingsWhenSenmlJsonAndSenmlCborArePosted() throws Exception {
        // given
        CoapTestDevices.Device device = devices.givenADevice();
        CoapClient client = devices.dtls(device.id(), device.psk(), "/telemetry");

        // when
        CoapResponse json = answered(
                client.post(
                        "[{\"bn\":\"env/\",\"n\":\"temp\",\"v\":20.5},{\"n\":\"co2\",\"v\":410}]",
                        MediaTypeRegistry.APPLICATION_SENML_JSON),
                "json");
        CoapResponse cbor = answered(
                client.post(senmlCbor("cbor/", "temp", 19.25), MediaTypeRegistry.APPLICATION_SENML_CBOR), "cbor");

        // then
        assertThat(json.getCode()).isEqualTo(ResponseCode.CHANGED);
        assertThat(cbor.getCode()).isEqualTo(ResponseCode.CHANGED);
        assertThat(devices.readings(device.id(), "env/temp")).isEqualTo(1);
        assertThat(devices.readings(device.id(), "env/co2")).isEqualTo(1);
        assertThat(devices.readings(device.id(), "cbor/temp")).isEqualTo(1);
    }

    @Test
    void shouldAnswerBadRequestWhenPayloadIsMalformed() throws Exception {
        // given
        CoapTestDevices.Device device = devices.givenADevice();
        CoapClient client = devices.dtls(device.id(), device.psk(), "/telemetry");

        // when
        CoapResponse broken = answered(client.post("{\"temp\": ", MediaTypeRegistry.APPLICATION_JSON), "broken");
        CoapResponse xml = answered(client.post("<temp/>", MediaTypeRegistry.APPLICATION_XML), "xml");

        // then
        assertThat(broken.getCode()).isEqualTo(ResponseCode.BAD_REQUEST);
        assertThat(broken.getResponseText()).contains("not valid JSON");
        assertThat(xml.getCode()).isEqualTo(ResponseCode.UNSUPPORTED_CONTENT_FORMAT);
        assertThat(devices.readings(device.id())).isZero();
    }

    @Test
    void shouldFailHandshakeWhenKeyIsWrong() throws Exception {
        // given
        CoapTestDevices.Device device = devices.givenADevice();
        byte[] wrong = device.psk().clone();
        wrong[0] ^= 1;
        CoapClient client = devices.dtls(device.id(), wrong, "/telemetry");

        // when it posts, the gateway refuses the handshake (its Finished does not verify) and answers nothing
        CompletableFuture<CoapResponse> wrongKey =
                DtlsDecisions.postRefused(meters, client, "{\"temp\": 1}", Decision.WRONG_KEY);
        // ... and when the device then posts with its right key, only that reading is stored (answered after its
        // commit)
        CoapResponse right = answered(
                devices.dtls(device.id(), device.psk(), "/telemetry")
                        .post("{\"hum\": 2}", MediaTypeRegistry.APPLICATION_JSON),
                "post with the right key");
        assertThat(right.getCode()).isEqualTo(ResponseCode.CHANGED);
        assertThat(devices.readings(device.id())).isEqualTo(1);
        assertThat(devices.readings(device.id(), "temp")).isZero();
        assertThat(CoapTestDevices.unanswered(wrongKey)).isTrue();
    }

    @Test
    void shouldFailHandshakeWhenIdentityIsUnknown() throws Exception {
        // given
        CoapClient client = devices.dtls("nobody-" + System.nanoTime(), new byte[16], "/telemetry");

        // when it posts, then the gateway refuses the handshake (no key for the identity) and answers nothing
        DtlsDecisions.postRefused(meters, client, "{\"temp\": 1}", Decision.UNKNOWN_IDENTITY);
    }

    @Test
    void shouldAcceptUnsecuredTelemetryWhenDeviceIsRegistered() throws Exception {
        // given: the test profile sets mecgw.coap.allow-unsecured=true
        CoapTestDevices.Device device = devices.givenADevice();

        // when
        CoapResponse known = answered(
                devices.plain("/telemetry/" + device.id()).post("{\"temp\": 3}", MediaTypeRegistry.APPLICATION_JSON),
                "known");
        CoapResponse unknown = answered(
                devices.plain("/telemetry/nobody-" + System.nanoTime())
                        .post("{\"temp\": 3}", MediaTypeRegistry.APPLICATION_JSON),
                "unknown");

        // then
        assertThat(known.getCode()).isEqualTo(ResponseCode.CHANGED);
        assertThat(devices.readings(device.id())).isEqualTo(1);
        assertThat(unknown.getCode()).isEqualTo(ResponseCode.UNAUTHORIZED);
        assertThat(unknown.getPayloadSize())
                .as("no diagnostic payload to unauthenticated peers")
                .isZero();
    }

    @Test
    void shouldAnswerUnauthorizedWhenPlainPeerUsesDeviceRoutes() throws Exception {
        // when
        CoapResponse telemetry = answered(
                devices.plain("/telemetry").post("{\"temp\": 3}", MediaTypeRegistry.APPLICATION_JSON), "telemetry");
        CoapResponse commands = answered(devices.plain("/commands").get(), "commands");

        // then
        assertThat(telemetry.getCode()).isEqualTo(ResponseCode.UNAUTHORIZED);
        assertThat(commands.getCode()).isEqualTo(ResponseCode.UNAUTHORIZED);
        assertThat(commands.getPayloadSize()).isZero();
    }

    @Test
    void shouldMarkDeviceOnlineWhenItPosts() throws Exception {
        // given
        CoapTestDevices.Device device = devices.givenADevice();

        // when
        devices.dtls(device.id(), device.psk(), "/telemetry").post("{\"temp\": 1}", MediaTypeRegistry.APPLICATION_JSON);

        // then
        Awaitility.await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            assertThat(registry.find(device.id()).orElseThrow().status().online())
                    .isTrue();
            assertThat(registry.find(device.id()).orElseThrow().status().lastSeen())
                    .isNotNull();
        });
    }

    @Test
    void shouldListRoutesWhenDiscoveredOverDtls() throws Exception {
        // given
        CoapTestDevices.Device device = devices.givenADevice();

        // when
        CoapResponse response = answered(
                devices.dtls(device.id(), device.psk(), "/.well-known/core").get(), "response");

        // then
        assertThat(response.getCode()).isEqualTo(ResponseCode.CONTENT);
        assertThat(response.getResponseText())
                .contains(
                        "</telemetry>",
                        "</commands>;ct=50;obs",
                        "</twin/desired>;ct=50;obs",
                        "</twin/reported>",
                        "</fw>",
                        "</frames>")
                .doesNotContain("</twin>");
    }

    @Test
    void shouldFindDeviceWhenCertificateFingerprintIsRegistered() {
        // given
        String id = "cert-" + System.nanoTime();
        String fingerprint = java.util.HexFormat.of()
                .formatHex(java.nio.ByteBuffer.allocate(32)
                        .putLong(System.nanoTime())
                        .array());
        registry.create(new dev.mecgw.app.registry.DeviceRequest(
                id,
                "sensor",
                null,
                null,
                null,
                new dev.mecgw.app.registry.CredentialsRequest(null, null, fingerprint.toUpperCase())));

        // when / then
        assertThat(new PostgresDeviceCertificates(dataSource).deviceFor(fingerprint))
                .map(dev.mecgw.app.acl.Principal::deviceId)
                .contains(id);
        assertThat(new PostgresDeviceCertificates(dataSource).deviceFor("00".repeat(32)))
                .isEmpty();
    }

    static byte[] senmlCbor(String baseName, String name, double value) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (CBORGenerator gen = new CBORFactory().createGenerator(out)) {
            gen.writeStartArray();
            gen.writeStartObject();
            gen.writeFieldId(-2);
            gen.writeString(baseName);
            gen.writeFieldId(0);
            gen.writeString(name);
            gen.writeFieldId(2);
            gen.writeNumber(value);
            gen.writeEndObject();
            gen.writeEndArray();
        }
        return out.toByteArray();
    }
}
