package dev.mecgw.app.mqtt;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.runtime.configuration.DurationConverter;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DeprecatedMqttKeysTest {

    @Test
    void shouldReadTheFormerSecondsKeyWhenTheDurationKeyIsAbsent() {
        // when
        MqttConfig config = givenAConfig(Map.of("mecgw.mqtt.connect-timeout-seconds", "7"));
        // then
        assertThat(config.connectTimeout()).isEqualTo(Duration.ofSeconds(7));
    }

    @Test
    void shouldPreferTheDurationKeyWhenBothAreSet() {
        // when
        MqttConfig config =
                givenAConfig(Map.of("mecgw.mqtt.connect-timeout", "3s", "mecgw.mqtt.connect-timeout-seconds", "7"));
        // then
        assertThat(config.connectTimeout()).isEqualTo(Duration.ofSeconds(3));
    }

    @Test
    void shouldDefaultToTenSecondsWhenNeitherKeyIsSet() {
        // when
        MqttConfig config = givenAConfig(Map.of());
        // then
        assertThat(config.connectTimeout()).isEqualTo(Duration.ofSeconds(10));
    }

    /** As Quarkus builds it: our interceptor from the service loader, unknown keys tolerated. */
    private static MqttConfig givenAConfig(Map<String, String> properties) {
        return new SmallRyeConfigBuilder()
                .withMapping(MqttConfig.class)
                .withInterceptors(new DeprecatedMqttKeys())
                .withValidateUnknown(false)
                .withConverter(Duration.class, 100, new DurationConverter())
                .withSources(new PropertiesConfigSource(properties, "test", 500))
                .build()
                .getConfigMapping(MqttConfig.class);
    }
}
