package dev.mecgw.app.coap;

import static dev.mecgw.app.coap.CoapTestDevices.answered;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mecgw.app.coap.DtlsDecisions.Decision;
import dev.mecgw.app.coap.app.CoapLifecycle;
import dev.mecgw.app.registry.CredentialsRequest;
import dev.mecgw.app.registry.DeviceRegistry;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.util.HexFormat;
import javax.sql.DataSource;
import org.eclipse.californium.core.CoapClient;
import org.eclipse.californium.core.coap.CoAP.ResponseCode;
import org.eclipse.californium.core.coap.MediaTypeRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 15, item 9 over CoAP/DTLS with Scandium's client: deleting a device or changing its PSK ends its DTLS
 * session at once, so that the session established with the old key stores nothing more.
 */
@QuarkusTest
class CoapRevocationTest {

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
    void shouldEndTheDtlsSessionWhenThePskChanges() throws Exception {
        // given a device with a DTLS session that stored one reading
        CoapTestDevices.Device device = devices.givenADevice();
        CoapClient client = devices.dtls(device.id(), device.psk(), "/telemetry");
        assertThat(answered(client.post("{\"t\": 1}", MediaTypeRegistry.APPLICATION_JSON), "first post")
                        .getCode())
                .isEqualTo(ResponseCode.CHANGED);

        // when its PSK is replaced
        byte[] fresh = device.psk().clone();
        fresh[0] ^= 1;
        registry.setCredentials(
                device.id(), new CredentialsRequest(null, HexFormat.of().formatHex(fresh), null));

        // then the old session's post is dropped, its session gone (revocation ended it before setCredentials
        // returned), and gets no answer ...
        DtlsDecisions.postRefused(meters, client, "{\"t\": 2}", Decision.RECORD_WITHOUT_SESSION);
        // ... the new key works, and once its reading is stored (the 2.04 follows the commit), the old session's
        // reading is not among them
        assertThat(answered(
                                devices.dtls(device.id(), fresh, "/telemetry")
                                        .post("{\"t\": 3}", MediaTypeRegistry.APPLICATION_JSON),
                                "post with the new key")
                        .getCode())
                .isEqualTo(ResponseCode.CHANGED);
        assertThat(devices.count("SELECT count(*) FROM telemetry WHERE device_id = ? AND value = 2", device.id()))
                .isZero();
        assertThat(devices.readings(device.id())).isEqualTo(2);
    }

    @Test
    void shouldEndTheDtlsSessionWhenTheDeviceIsDeleted() throws Exception {
        // given a device with a DTLS session that stored one reading
        CoapTestDevices.Device device = devices.givenADevice();
        CoapClient client = devices.dtls(device.id(), device.psk(), "/telemetry");
        assertThat(answered(client.post("{\"t\": 1}", MediaTypeRegistry.APPLICATION_JSON), "first post")
                        .getCode())
                .isEqualTo(ResponseCode.CHANGED);

        // when it is deleted
        registry.delete(device.id());

        // then the session it had is gone (revocation ended it before delete returned): its post is dropped, gets
        // no answer and stores nothing
        DtlsDecisions.postRefused(meters, client, "{\"t\": 2}", Decision.RECORD_WITHOUT_SESSION);
        assertThat(devices.readings(device.id())).isEqualTo(1);
    }
}
