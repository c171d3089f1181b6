package dev.mecgw.app.ran.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mecgw.app.ran.RanConfig;
import io.quarkus.runtime.configuration.DurationConverter;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Issue 23: the slice entries the Ansible role renders become the policy, and a bad one names itself. */
class RanSlicePoliciesTest {

    @Test
    void shouldBuildOnePolicyPerEntryWhenSlicesAreRendered() {
        // given the keys slices.properties.j2 renders for two inventory slices
        RanConfig config = givenConfig(Map.of(
                "mecgw.ran.slices.miot-sensors.snssai", "3:00001F",
                "mecgw.ran.slices.miot-sensors.ue-subnets", "10.47.0.0/16,10.48.0.0/16",
                "mecgw.ran.slices.embb.snssai", "1",
                "mecgw.ran.slices.embb.ue-subnets", "10.45.0.0/16",
                "mecgw.ran.slices.embb.allowed-types", "camera",
                "mecgw.ran.slices.embb.zero-touch", "true",
                "mecgw.ran.slices.embb.default-type", "camera"));
        // when
        var views = RanSlicePolicies.named(config).entrySet().stream()
                .map(e -> RanSliceResource.SliceView.of(e.getKey(), e.getValue()))
                .toList();
        // then
        assertThat(views)
                .containsExactly(
                        new RanSliceResource.SliceView(
                                "embb", "1", 1, java.util.List.of("camera"), true, "camera", java.util.List.of()),
                        new RanSliceResource.SliceView(
                                "miot-sensors", "3:00001f", 2, java.util.List.of(), false, null, java.util.List.of()));
    }

    @Test
    void shouldNameTheEntryWhenSnssaiIsOutOfRange() {
        RanConfig config = givenConfig(Map.of(
                "mecgw.ran.slices.bad-slice.snssai", "300:000001",
                "mecgw.ran.slices.bad-slice.ue-subnets", "10.49.0.0/16"));
        assertThatThrownBy(() -> RanSlicePolicies.named(config))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("mecgw.ran.slices.bad-slice: sst must be 0..255");
    }

    @Test
    void shouldNameTheEntryWhenSnssaiIsNotANumber() {
        RanConfig config = givenConfig(Map.of(
                "mecgw.ran.slices.typo.snssai", "one:000001",
                "mecgw.ran.slices.typo.ue-subnets", "10.49.0.0/16"));
        assertThatThrownBy(() -> RanSlicePolicies.named(config)).hasMessageStartingWith("mecgw.ran.slices.typo: ");
    }

    private static RanConfig givenConfig(Map<String, String> properties) {
        SmallRyeConfig config = new SmallRyeConfigBuilder()
                .withMapping(RanConfig.class)
                // Quarkus registers this converter in the application; "1s" defaults need it here too.
                .withConverter(Duration.class, 100, new DurationConverter())
                .withSources(new PropertiesConfigSource(properties, "test", 100))
                .build();
        return config.getConfigMapping(RanConfig.class);
    }
}
