package dev.mecgw.app.coap;

import static dev.mecgw.app.coap.CoapTestDevices.answered;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mecgw.app.coap.app.CoapLifecycle;
import dev.mecgw.app.ran.LoopbackSliceProfile;
import dev.mecgw.app.ran.RanNetwork;
import dev.mecgw.app.registry.CredentialsRequest;
import dev.mecgw.app.registry.DeviceRegistry;
import dev.mecgw.app.registry.DeviceRequest;
import dev.mecgw.app.registry.Sim;
import dev.mecgw.ran.simulator.SimulatedUe;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.UUID;
import javax.sql.DataSource;
import org.eclipse.californium.core.CoapResponse;
import org.eclipse.californium.core.coap.CoAP.ResponseCode;
import org.eclipse.californium.core.coap.MediaTypeRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Issue #7 through CoAP, against the simulator on loopback: the 5G network's SIM identity decides per DTLS
 * session (or plain peer) whether a device's requests reach the resources, and the slice's allowed topics
 * bound which resources it may use.
 */
@QuarkusTest
@TestProfile(LoopbackSliceProfile.class)
class CoapNetworkAdmissionTest {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String JSON = "{\"temp\": 21.5}";

    @Inject
    DeviceRegistry registry;

    @Inject
    CoapLifecycle coap;

    @Inject
    DataSource dataSource;

    @Inject
    RanNetwork ran;

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
    void shouldRefuseWithForbiddenAndRecordEventWhenSimBehindUeAddressIsNotTheDevicesSim() throws Exception {
        // given a sensor with a PSK and a SIM, and the network reporting another SIM behind 127.0.0.1
        CoapTestDevices.Device device = givenASensorWithSim();
        networkReports("thief-" + device.id());

        // when it posts telemetry over DTLS
        CoapResponse refused = answered(
                devices.dtls(device.id(), device.psk(), "/telemetry").post(JSON, MediaTypeRegistry.APPLICATION_JSON),
                "refused");

        // then 4.03 with the reason, nothing stored, and the attempt recorded
        assertThat(refused.getCode()).isEqualTo(ResponseCode.FORBIDDEN);
        assertThat(refused.getResponseText()).contains("SIM_MISMATCH");
        assertThat(devices.readings(device.id())).isZero();
        assertThat(devices.count(
                        "SELECT count(*) FROM events WHERE device_id = ? AND kind = " + "'ran.identity.sim-mismatch'",
                        device.id()))
                .isEqualTo(1);

        // when the network reports the device's own SIM and it opens a new DTLS session
        networkReports(device.id());
        CoapResponse admitted = answered(
                devices.dtls(device.id(), device.psk(), "/telemetry").post(JSON, MediaTypeRegistry.APPLICATION_JSON),
                "admitted");

        // then it is admitted
        assertThat(admitted.getCode()).isEqualTo(ResponseCode.CHANGED);
        assertThat(devices.readings(device.id())).isEqualTo(1);
    }

    @Test
    void shouldCheckUnsecuredTelemetryTheSameWayWhenPostedFromUeAddress() throws Exception {
        // given a sensor and another SIM behind 127.0.0.1
        CoapTestDevices.Device device = givenASensorWithSim();
        networkReports("thief-" + device.id());

        // when it posts unsecured telemetry / then 4.03 without a payload (no amplification)
        CoapResponse refused = answered(
                devices.plain("/telemetry/" + device.id()).post(JSON, MediaTypeRegistry.APPLICATION_JSON), "refused");
        assertThat(refused.getCode()).isEqualTo(ResponseCode.FORBIDDEN);
        assertThat(refused.getPayload()).isEmpty();

        // when its own SIM is behind the address / then a new peer is admitted
        networkReports(device.id());
        CoapResponse admitted = answered(
                devices.plain("/telemetry/" + device.id()).post(JSON, MediaTypeRegistry.APPLICATION_JSON), "admitted");
        assertThat(admitted.getCode()).isEqualTo(ResponseCode.CHANGED);
    }

    @Test
    void shouldForbidResourceWhenOutsideTheSlicesAllowedTopics() throws Exception {
        // given an admitted sensor on the lab slice, which allows telemetry, commands and twin only
        CoapTestDevices.Device device = givenASensorWithSim();
        networkReports(device.id());

        // when it posts a frame and then telemetry in the same session
        CoapResponse frame = answered(
                devices.dtls(device.id(), device.psk(), "/frames")
                        .post(new byte[] {1, 2, 3}, MediaTypeRegistry.APPLICATION_OCTET_STREAM),
                "frame");
        CoapResponse telemetry = answered(
                devices.dtls(device.id(), device.psk(), "/telemetry").post(JSON, MediaTypeRegistry.APPLICATION_JSON),
                "telemetry");

        // then the frame is forbidden and the telemetry accepted
        assertThat(frame.getCode()).isEqualTo(ResponseCode.FORBIDDEN);
        assertThat(frame.getResponseText()).contains("slice");
        assertThat(telemetry.getCode()).isEqualTo(ResponseCode.CHANGED);
    }

    private CoapTestDevices.Device givenASensorWithSim() {
        String id = "lab-coap-" + UUID.randomUUID().toString().substring(0, 8);
        byte[] psk = new byte[16];
        RANDOM.nextBytes(psk);
        registry.create(new DeviceRequest(
                id,
                "sensor",
                null,
                new Sim(null, "extid-" + id + "@site.example"),
                null,
                new CredentialsRequest(null, HexFormat.of().formatHex(psk), null)));
        return new CoapTestDevices.Device(id, psk);
    }

    private void networkReports(String externalLocalId) {
        ran.simulator()
                .orElseThrow()
                .attach(new SimulatedUe(
                        "127.0.0.1",
                        externalLocalId + "@site.example",
                        LoopbackSliceProfile.GROUP,
                        1,
                        "000002",
                        "000000001",
                        true));
    }
}
