package dev.mecgw.app.coap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.mecgw.app.coap.app.CoapLifecycle;
import dev.mecgw.app.registry.CredentialsRequest;
import dev.mecgw.app.registry.DeviceRegistry;
import dev.mecgw.app.registry.DeviceRequest;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.util.UUID;
import javax.sql.DataSource;
import org.eclipse.californium.core.CoapClient;
import org.eclipse.californium.core.CoapResponse;
import org.eclipse.californium.core.coap.CoAP.ResponseCode;
import org.eclipse.californium.core.coap.MediaTypeRegistry;
import org.eclipse.californium.core.network.Endpoint;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Devices authenticating with client certificates over CoAPS against the whole gateway (issue #6). */
@QuarkusTest
@TestProfile(CoapX509Profile.class)
class CoapX509Test {

    @Inject
    DeviceRegistry registry;

    @Inject
    CoapLifecycle coap;

    @Inject
    DataSource dataSource;

    private CoapTestDevices devices;
    private Endpoint endpoint;
    private Certificate gateway;

    @BeforeEach
    void setUp() throws Exception {
        devices = new CoapTestDevices(registry, coap, dataSource);
        gateway = TestCertificates.load(CoapX509Profile.DIR.resolve("gateway.p12"), "gateway")
                .getCertificate();
    }

    @AfterEach
    void tearDown() {
        devices.close();
        if (endpoint != null) {
            endpoint.destroy();
        }
    }

    @Test
    void shouldStoreReadingWhenDevicePostsWithRegisteredCertificate() throws Exception {
        // given a device registered with the fingerprint of its certificate
        String id = "x509-" + UUID.randomUUID().toString().substring(0, 8);
        KeyStore.PrivateKeyEntry certificate = TestCertificates.create(CoapX509Profile.DIR, id);
        registry.create(new DeviceRequest(
                id,
                "sensor",
                null,
                null,
                null,
                new CredentialsRequest(null, null, TestCertificates.fingerprint(certificate))));

        // when it posts over DTLS with that certificate and no PSK
        CoapResponse response = CoapTestDevices.answered(
                client(certificate).post("{\"x509\": 42}", MediaTypeRegistry.APPLICATION_JSON),
                "post with certificate");

        // then the reading is committed under its id
        assertThat(response.getCode()).isEqualTo(ResponseCode.CHANGED);
        assertThat(devices.readings(id, "x509")).isEqualTo(1);
    }

    @Test
    void shouldRefuseHandshakeWhenCertificateIsNotRegistered() throws Exception {
        // given a certificate whose fingerprint no device carries
        String id = "stranger-" + UUID.randomUUID().toString().substring(0, 8);
        KeyStore.PrivateKeyEntry stranger = TestCertificates.create(CoapX509Profile.DIR, id);

        // when
        CoapResponse[] response = new CoapResponse[1];
        Throwable failure = catchThrowable(
                () -> response[0] = client(stranger).post("{\"x509\": 1}", MediaTypeRegistry.APPLICATION_JSON));

        // then no session, no response, nothing stored
        assertThat(failure != null || response[0] == null).isTrue();
        assertThat(devices.readings(id)).isZero();
    }

    @Test
    void shouldRefuseHandshakeWithAnEventWhenTheRegisteredCertificateExpired() throws Exception {
        // given a device registered with a certificate that expired nine days ago (issue 15.11)
        String id = "expired-" + UUID.randomUUID().toString().substring(0, 8);
        KeyStore.PrivateKeyEntry expired = TestCertificates.create(CoapX509Profile.DIR, id, "-10d", 1);
        registry.create(new DeviceRequest(
                id,
                "sensor",
                null,
                null,
                null,
                new CredentialsRequest(null, null, TestCertificates.fingerprint(expired))));

        // when it posts with that certificate
        CoapResponse[] response = new CoapResponse[1];
        Throwable failure = catchThrowable(
                () -> response[0] = client(expired).post("{\"x509\": 1}", MediaTypeRegistry.APPLICATION_JSON));

        // then no session, nothing stored, and an event says why
        assertThat(failure != null || response[0] == null).isTrue();
        assertThat(devices.readings(id)).isZero();
        assertThat(devices.count(
                        "SELECT count(*) FROM events WHERE device_id = ? AND kind = 'credentials.certificate-refused'"
                                + " AND payload->>'reason' = 'expired'",
                        id))
                .isEqualTo(1);
    }

    private CoapClient client(KeyStore.PrivateKeyEntry certificate) {
        endpoint = TestCertificates.clientEndpoint(certificate, gateway);
        CoapClient client =
                new CoapClient("coaps://127.0.0.1:" + coap.dtlsAddress().getPort() + "/telemetry");
        client.setEndpoint(endpoint);
        client.setTimeout(CoapTestDevices.CLIENT_TIMEOUT_MS);
        return client;
    }
}
