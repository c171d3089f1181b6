package dev.mecgw.app.mqtt;

import static dev.mecgw.app.mqtt.MqttFixtures.PASSWORD;
import static dev.mecgw.app.mqtt.MqttFixtures.bytes;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5ConnAckException;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5PubAckException;
import com.hivemq.client.mqtt.mqtt5.message.connect.connack.Mqtt5ConnAckReasonCode;
import com.hivemq.client.mqtt.mqtt5.message.publish.puback.Mqtt5PubAckReasonCode;
import dev.mecgw.app.ran.RanNetwork;
import dev.mecgw.app.ran.UePoolsProfile;
import dev.mecgw.ran.simulator.SimulatedUe;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Issue 15, items 10 and 9 through MQTT: a device with a SIM must come through a UE pool unless its slice says
 * otherwise; an off-pool connection no longer lifts the slice confinement of the device's on-slice connections;
 * and a failed SIM check closes the device's other live connections.
 */
@QuarkusTest
@TestProfile(UePoolsProfile.class)
class MqttNetworkIdentityTest {

    private static final String OFF_POOL = "127.0.0.1";
    private static final String LAB_POOL = "127.0.0.2";
    private static final String OPEN_POOL = "127.0.0.3";

    @Inject
    MqttBroker broker;

    @Inject
    RanNetwork ran;

    @Test
    void shouldRefuseASimDeviceFromOutsideTheUePoolsButNotADeviceWithoutSim() {
        // given a sensor with a SIM and one without
        String withSim = givenASensor(true, null);
        String withoutSim = givenASensor(false, null);

        // when both connect from an address outside every UE pool
        Throwable refused = catchThrowable(() -> connect(withSim, OFF_POOL));

        // then the one with a SIM is not authorized (require-network-identity, on by default), the other connects
        assertThat(refused).isInstanceOf(Mqtt5ConnAckException.class);
        assertThat(((Mqtt5ConnAckException) refused).getMqttMessage().getReasonCode())
                .isEqualTo(Mqtt5ConnAckReasonCode.NOT_AUTHORIZED);
        connect(withoutSim, OFF_POOL).disconnect();
    }

    @Test
    void shouldKeepTheSliceConfinementWhenTheDeviceAlsoConnectsFromOutsideThePools() {
        // given a sensor of the "open" slice (off-pool allowed), admitted on its slice and confined to telemetry
        String device = givenASensor(true, "000003");
        attach(OPEN_POOL, device, "000003");
        Mqtt5BlockingClient onSlice = connect(device, OPEN_POOL);

        // when the same device also connects from outside every pool / then that is admitted
        Mqtt5BlockingClient offPool = connect(device, OFF_POOL);

        // and the on-slice connection is still confined to its slice's topics
        Throwable outside = catchThrowable(() -> onSlice.publishWith()
                .topic("devices/" + device + "/frames")
                .qos(MqttQos.AT_LEAST_ONCE)
                .payload(bytes("x"))
                .send());
        assertThat(outside).isInstanceOf(Mqtt5PubAckException.class);
        assertThat(((Mqtt5PubAckException) outside).getMqttMessage().getReasonCode())
                .isEqualTo(Mqtt5PubAckReasonCode.NOT_AUTHORIZED);
        onSlice.disconnect();
        offPool.disconnect();
    }

    @Test
    void shouldCloseTheDevicesLiveConnectionWhenItsSimCheckFails() {
        // given a sensor connected through the lab slice with its own SIM
        String device = givenASensor(true, "000002");
        attach(LAB_POOL, device, "000002");
        Mqtt5BlockingClient live = connect(device, LAB_POOL);

        // when its credentials are used behind another SIM
        ran.simulator()
                .orElseThrow()
                .attach(new SimulatedUe(
                        LAB_POOL,
                        "thief-" + device + "@site.example",
                        UePoolsProfile.GROUP,
                        1,
                        "000002",
                        "000000001",
                        true));
        Throwable refused = catchThrowable(() -> connect(device, LAB_POOL));

        // then that attempt is refused and the live connection is closed too
        assertThat(refused).isInstanceOf(Mqtt5ConnAckException.class);
        await().atMost(Duration.ofSeconds(10)).until(() -> !live.getState().isConnected());
    }

    private void attach(String address, String device, String sd) {
        ran.simulator()
                .orElseThrow()
                .attach(new SimulatedUe(
                        address, device + "@site.example", UePoolsProfile.GROUP, 1, sd, "000000001", true));
    }

    private Mqtt5BlockingClient connect(String device, String from) {
        return MqttFixtures.connect(
                MqttFixtures.mqtt5From(from, broker.port(), device + "-" + UUID.randomUUID()), device, PASSWORD);
    }

    /** A sensor, with a SIM or not, registered to the slice {@code 1:<sd>} or to none. */
    private static String givenASensor(boolean sim, String sd) {
        String device = "pool-" + UUID.randomUUID().toString().substring(0, 8);
        String body = "{\"id\":\"" + device + "\",\"type\":\"sensor\""
                + (sim ? ",\"sim\":{\"gpsi\":\"extid-" + device + "@site.example\"}" : "")
                + (sd != null ? ",\"slice\":{\"sst\":1,\"sd\":\"" + sd + "\"}" : "")
                + ",\"credentials\":{\"password\":\"" + PASSWORD + "\"}}";
        given().auth()
                .oauth2(UePoolsProfile.TOKEN)
                .contentType(ContentType.JSON)
                .body(body)
                .post("/api/v1/devices")
                .then()
                .statusCode(201);
        return device;
    }
}
