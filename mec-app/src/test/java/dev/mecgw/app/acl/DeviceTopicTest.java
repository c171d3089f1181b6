package dev.mecgw.app.acl;

import static org.assertj.core.api.Assertions.assertThat;

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
}
