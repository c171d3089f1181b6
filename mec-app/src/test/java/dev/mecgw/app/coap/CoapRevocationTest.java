package dev.mecgw.app.coap;

import static dev.mecgw.app.coap.CoapTestDevices.answered;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mecgw.app.coap.app.CoapLifecycle;
import dev.mecgw.app.registry.CredentialsRequest;
import dev.mecgw.app.registry.DeviceRegistry;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.util.HexFormat;
import javax.sql.DataSource;
import org.eclipse.californium.core.CoapClient;
import org.eclipse.californium.core.CoapResponse;
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

        // then the old session gets no 2.04 (a silence check: the revocation ended the session before
        // setCredentials returned, and its records are discarded uncounted, see NO_ANSWER_WAIT_MS) ...
        client.setTimeout(CoapTestDevices.NO_ANSWER_WAIT_MS);
        CoapResponse after = client.post("{\"t\": 2}", MediaTypeRegistry.APPLICATION_JSON);
        assertThat(after == null || after.getCode() != ResponseCode.CHANGED).isTrue();
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

        // then the session it had stores nothing more (a silence check: the revocation ended the session before
        // delete returned, and its records are discarded uncounted, see NO_ANSWER_WAIT_MS; a deleted device has no
        // later reading to await)
        client.setTimeout(CoapTestDevices.NO_ANSWER_WAIT_MS);
        CoapResponse after = client.post("{\"t\": 2}", MediaTypeRegistry.APPLICATION_JSON);
        assertThat(after == null || after.getCode() != ResponseCode.CHANGED).isTrue();
        assertThat(devices.readings(device.id())).isEqualTo(1);
    }
}
