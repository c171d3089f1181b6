package dev.mecgw.app.mqtt;

import static dev.mecgw.app.mqtt.MqttFixtures.bytes;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5ConnAckException;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5PubAckException;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5SubAckException;
import com.hivemq.client.mqtt.mqtt5.message.connect.connack.Mqtt5ConnAckReasonCode;
import com.hivemq.client.mqtt.mqtt5.message.publish.puback.Mqtt5PubAckReasonCode;
import com.hivemq.client.mqtt.mqtt5.message.subscribe.suback.Mqtt5SubAckReasonCode;
import dev.mecgw.app.ran.LoopbackSliceProfile;
import dev.mecgw.app.ran.RanNetwork;
import dev.mecgw.ran.simulator.NetworkSimulator;
import dev.mecgw.ran.simulator.SimulatedUe;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Issue #7 through MQTT: the 5G network's SIM identity decides, after the password, whether a device may connect. */
@QuarkusTest
@TestProfile(LoopbackSliceProfile.class)
class MqttNetworkAdmissionTest {

    private static final String GROUP = LoopbackSliceProfile.GROUP;

    @Inject
    MqttBroker broker;

    @Inject
    RanNetwork ran;

    @Test
    void shouldRefuseNotAuthorizedWhenSimBehindUeAddressIsNotTheDevicesSim() {
        // given a registered sensor, and the network reporting another SIM behind 127.0.0.1
        String device = givenASensorWithSim();
        NetworkSimulator simulator = ran.simulator().orElseThrow();
        simulator.attach(new SimulatedUe(
                "127.0.0.1", "thief-" + device + "@site.example", GROUP, 1, "000002", "000000001", true));

        // when it connects with the right password / then the network's identity check refuses it
        Throwable refused = catchThrowable(() -> connect(device));
        assertThat(refused).isInstanceOf(Mqtt5ConnAckException.class);
        assertThat(((Mqtt5ConnAckException) refused).getMqttMessage().getReasonCode())
                .isEqualTo(Mqtt5ConnAckReasonCode.NOT_AUTHORIZED);

        // when the network reports the device's own SIM behind the address / then it is admitted
        simulator.attach(new SimulatedUe("127.0.0.1", device + "@site.example", GROUP, 1, "000002", "000000001", true));
        Mqtt5BlockingClient client = MqttFixtures.mqtt5(broker.port(), device + "-ok");
        assertThat(client.connectWith()
                        .simpleAuth()
                        .username(device)
                        .password(bytes(MqttFixtures.PASSWORD))
                        .applySimpleAuth()
                        .send()
                        .getReasonCode())
                .isEqualTo(Mqtt5ConnAckReasonCode.SUCCESS);
        client.disconnect();
    }

    @Test
    void shouldDenyPublishAndSubscribeWhenTopicIsOutsideTheSlicesAllowedTopics() {
        // given a sensor admitted on the lab slice, which allows telemetry, commands and twin topics only
        String device = givenASensorWithSim();
        ran.simulator()
                .orElseThrow()
                .attach(new SimulatedUe("127.0.0.1", device + "@site.example", GROUP, 1, "000002", "000000001", true));
        Mqtt5BlockingClient client = MqttFixtures.connected5(broker.port(), device);

        // when it publishes frames (its own topic, but not the slice's) / then not authorized
        Throwable frames = catchThrowable(() -> client.publishWith()
                .topic("devices/" + device + "/frames")
                .qos(MqttQos.AT_LEAST_ONCE)
                .payload(bytes("x"))
                .send());
        assertThat(((Mqtt5PubAckException) frames).getMqttMessage().getReasonCode())
                .isEqualTo(Mqtt5PubAckReasonCode.NOT_AUTHORIZED);
        // and telemetry, inside the scope, is accepted
        assertThat(client.publishWith()
                        .topic("devices/" + device + "/telemetry")
                        .qos(MqttQos.AT_LEAST_ONCE)
                        .payload(bytes("{\"t\":1}"))
                        .send()
                        .getError())
                .isEmpty();
        // and a subscription wider than the scope is refused
        Throwable wide = catchThrowable(() ->
                client.subscribeWith().topicFilter("devices/" + device + "/#").send());
        assertThat(((Mqtt5SubAckException) wide).getMqttMessage().getReasonCodes())
                .containsExactly(Mqtt5SubAckReasonCode.NOT_AUTHORIZED);
        client.disconnect();
    }

    private static String givenASensorWithSim() {
        String device = "lab-" + UUID.randomUUID().toString().substring(0, 8);
        given().auth()
                .oauth2(LoopbackSliceProfile.TOKEN)
                .contentType(ContentType.JSON)
                .body("{\"id\":\"" + device + "\",\"type\":\"sensor\",\"sim\":{\"gpsi\":\"extid-" + device
                        + "@site.example\"},\"credentials\":{\"password\":\"" + MqttFixtures.PASSWORD + "\"}}")
                .post("/api/v1/devices")
                .then()
                .statusCode(201);
        return device;
    }

    private void connect(String device) {
        MqttFixtures.mqtt5(broker.port(), device + "-" + UUID.randomUUID())
                .connectWith()
                .simpleAuth()
                .username(device)
                .password(bytes(MqttFixtures.PASSWORD))
                .applySimpleAuth()
                .send();
    }
}
