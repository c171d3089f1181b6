package dev.mecgw.app.acl;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DeviceTopicTest {

    private final DeviceTopic telemetry = new DeviceTopic("/telemetry");

    @ParameterizedTest
    @CsvSource({
        "devices/s1/telemetry,true",
        "devices/s1/x/telemetry,false",
        "devices//telemetry,false",
        "devices/telemetry,false",
        "site/s1/telemetry,false",
        "devices/s1/telemetry/x,false"
    })
    void shouldMatchOnlyOneLevelDeviceIdsWhenTopicHasTheSuffix(String topic, boolean expected) {
        assertThat(telemetry.matches(topic)).isEqualTo(expected);
    }

    @ParameterizedTest
    @CsvSource({"devices/s1/telemetry,s1", "devices/cam-9.a/telemetry,cam-9.a"})
    void shouldExtractTheDeviceIdWhenTopicMatches(String topic, String id) {
        assertThat(telemetry.deviceId(topic)).isEqualTo(id);
    }

    @Test
    void shouldBuildCommandAndTwinTopicsWhenGivenADevice() {
        assertThat(DeviceTopic.desiredTwin("pump-1")).isEqualTo("devices/pump-1/twin/desired");
        assertThat(DeviceTopic.command("pump-1", "reboot")).isEqualTo("devices/pump-1/commands/reboot");
        assertThat(DeviceTopic.commandResponse("pump-1", "reboot"))
                .isEqualTo("devices/pump-1/commands/reboot/response");
    }

    /** The device id and command name a topic yields as a command topic and as a response topic ("" for none). */
    @ParameterizedTest
    @CsvSource({
        "devices/pump-1/commands/reboot,          pump-1 reboot, ''",
        "devices/pump-1/commands/reboot/response, '',            pump-1 reboot",
        "devices/pump-1/commands/a/b/response,    '',            ''",
        "devices/pump-1/commands/a/b,             '',            ''",
        "devices/pump-1/commands/response,        pump-1 response, ''",
        "devices/pump-1/commands/response/response, '',          pump-1 response",
        "devices//commands/reboot,                '',            ''",
        "devices//commands/reboot/response,       '',            ''",
        "devices/pump-1/commands//response,       '',            ''",
        "devices/pump-1/twin/desired,             '',            ''",
        "sites/pump-1/commands/reboot,            '',            ''"
    })
    void shouldTakeCommandTopicsApartWhenIdAndNameAreTopicLevels(String topic, String command, String response) {
        assertThat(DeviceTopic.commandOf(topic).map(DeviceTopicTest::idAndName).orElse(""))
                .isEqualTo(command);
        assertThat(DeviceTopic.commandResponseOf(topic)
                        .map(DeviceTopicTest::idAndName)
                        .orElse(""))
                .isEqualTo(response);
    }

    @Test
    void shouldRoundTripCommandTopicsWhenBuiltHere() {
        String response = DeviceTopic.commandResponse("cam-9.a", "snap");
        assertThat(DeviceTopic.commandResponseOf(response)).contains(new DeviceTopic.CommandTopic("cam-9.a", "snap"));
        assertThat(DeviceTopic.commandOf(DeviceTopic.command("cam-9.a", "snap")))
                .contains(new DeviceTopic.CommandTopic("cam-9.a", "snap"));
    }

    private static String idAndName(DeviceTopic.CommandTopic command) {
        return command.deviceId() + " " + command.name();
    }
}
