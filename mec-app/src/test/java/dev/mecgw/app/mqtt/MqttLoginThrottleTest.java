package dev.mecgw.app.mqtt;

import static dev.mecgw.app.mqtt.MqttFixtures.bytes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.hivemq.client.mqtt.mqtt3.exceptions.Mqtt3ConnAckException;
import com.hivemq.client.mqtt.mqtt3.message.connect.connack.Mqtt3ConnAckReturnCode;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5ConnAckException;
import com.hivemq.client.mqtt.mqtt5.message.connect.connack.Mqtt5ConnAckReasonCode;
import dev.mecgw.app.registry.MemoryDeviceRegistry;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 15, item 6 over the real socket: failed passwords are throttled per device id and per source address
 * (CONNACK 0x97 on MQTT 5, 0x03 on 3.1.1) with windows on an injected clock, and unknown device ids cost a hash
 * like known ones (counted, not timed).
 */
class MqttLoginThrottleTest {

    private static final String RIGHT = "right-password-1";
    private static final String WRONG = "wrong-password-1";

    private final TestClock clock = new TestClock();
    private final MemoryDeviceRegistry devices = new MemoryDeviceRegistry(RIGHT);
    private StandaloneBroker broker;

    @AfterEach
    void tearDown() throws Exception {
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    void shouldRefuseQuotaExceededWhenDeviceFailedTooOftenUntilTheWindowEnds() throws Exception {
        // given a broker allowing 3 failures per device and minute, and a device
        givenABroker(3, 100);
        String device = devices.add("sensor-a");
        for (int i = 0; i < 3; i++) {
            assertThat(refusal5(device, WRONG)).isEqualTo(Mqtt5ConnAckReasonCode.BAD_USER_NAME_OR_PASSWORD);
        }
        double hashes = broker.count("mecgw.mqtt.auth.hashes");

        // when it tries again, even with the right password / then quota exceeded, without hashing
        assertThat(refusal5(device, RIGHT)).isEqualTo(Mqtt5ConnAckReasonCode.QUOTA_EXCEEDED);
        assertThat(refusal3(device, RIGHT)).isEqualTo(Mqtt3ConnAckReturnCode.SERVER_UNAVAILABLE);
        assertThat(broker.count("mecgw.mqtt.auth.hashes")).isEqualTo(hashes);
        assertThat(broker.count("mecgw.mqtt.connections.refused", "reason", "auth-throttled"))
                .isEqualTo(2);

        // when the window has passed / then the right password connects
        clock.advance(Duration.ofSeconds(61));
        assertThat(refusal5(device, RIGHT)).isNull();
    }

    @Test
    void shouldRefuseQuotaExceededWhenOneAddressFailsAcrossManyDeviceIds() throws Exception {
        // given a broker allowing 4 failures per address and minute
        givenABroker(100, 4);
        String device = devices.add("sensor-b");

        // when one address guesses passwords of 4 different (unknown) ids
        for (int i = 0; i < 4; i++) {
            assertThat(refusal5("guess-" + i, WRONG)).isEqualTo(Mqtt5ConnAckReasonCode.BAD_USER_NAME_OR_PASSWORD);
        }

        // then that address is refused for any id, until the window ends
        assertThat(refusal5(device, RIGHT)).isEqualTo(Mqtt5ConnAckReasonCode.QUOTA_EXCEEDED);
        clock.advance(Duration.ofMinutes(2));
        assertThat(refusal5(device, RIGHT)).isNull();
    }

    @Test
    void shouldHashOnceWhenTheDeviceIdIsUnknownAsWhenItIsKnown() throws Exception {
        // given
        givenABroker(100, 100);
        String device = devices.add("sensor-c");
        double before = broker.count("mecgw.mqtt.auth.hashes");

        // when a wrong password is tried for a known id and for an unknown one
        assertThat(refusal5(device, WRONG)).isEqualTo(Mqtt5ConnAckReasonCode.BAD_USER_NAME_OR_PASSWORD);
        double known = broker.count("mecgw.mqtt.auth.hashes") - before;
        assertThat(refusal5("nobody-" + UUID.randomUUID(), WRONG))
                .isEqualTo(Mqtt5ConnAckReasonCode.BAD_USER_NAME_OR_PASSWORD);
        double unknown = broker.count("mecgw.mqtt.auth.hashes") - before - known;

        // then both took one PBKDF2 derivation: the same path, the same cost
        assertThat(known).isEqualTo(1);
        assertThat(unknown).isEqualTo(1);
    }

    @Test
    void shouldLetAVerifiedDeviceReconnectWhenSomeoneElseFailsUnderItsId() throws Exception {
        // given a device that connected with its password
        givenABroker(2, 100);
        String device = devices.add("sensor-d");
        assertThat(refusal5(device, RIGHT)).isNull();

        // when someone fails under its id beyond the limit
        for (int i = 0; i < 3; i++) {
            refusal5(device, WRONG);
        }

        // then the device itself, whose password is cached, still connects
        assertThat(refusal5(device, RIGHT)).isNull();
    }

    private void givenABroker(int perDevice, int perAddress) throws Exception {
        broker = StandaloneBroker.givenABroker(
                Map.of(
                        "mecgw.mqtt.allow-anonymous",
                        "false",
                        "mecgw.mqtt.auth-failures-per-device",
                        Integer.toString(perDevice),
                        "mecgw.mqtt.auth-failures-per-address",
                        Integer.toString(perAddress),
                        "mecgw.mqtt.auth-failure-window",
                        "1m"),
                devices,
                devices.hasher,
                clock);
    }

    /** The CONNACK reason of an MQTT 5 CONNECT, null when accepted (the client disconnects again). */
    private Mqtt5ConnAckReasonCode refusal5(String username, String password) {
        Mqtt5BlockingClient client = MqttFixtures.mqtt5(broker.port(), username);
        Throwable refused = catchThrowable(() -> client.connectWith()
                .simpleAuth()
                .username(username)
                .password(bytes(password))
                .applySimpleAuth()
                .send());
        if (refused == null) {
            client.disconnect();
            return null;
        }
        assertThat(refused).isInstanceOf(Mqtt5ConnAckException.class);
        return ((Mqtt5ConnAckException) refused).getMqttMessage().getReasonCode();
    }

    private Mqtt3ConnAckReturnCode refusal3(String username, String password) {
        Throwable refused = catchThrowable(() -> MqttFixtures.mqtt3(broker.port(), username)
                .connectWith()
                .simpleAuth()
                .username(username)
                .password(bytes(password))
                .applySimpleAuth()
                .send());
        assertThat(refused).isInstanceOf(Mqtt3ConnAckException.class);
        return ((Mqtt3ConnAckException) refused).getMqttMessage().getReturnCode();
    }
}
