package dev.mecgw.sync.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/** The fixed settings of an exactly-once consumer loop against the operator's pass-through properties. */
class KafkaConsumerSettingsTest {

    private static final Map<String, Object> FIXED =
            Map.of("enable.auto.commit", false, "isolation.level", "read_committed");
    private static final Map<String, Object> DEFAULTS = Map.of("max.poll.records", 2000);

    @Test
    void shouldRefuseNamingTheKeyWhenThePassThroughWouldChangeAFixedSetting() {
        assertThatThrownBy(() -> KafkaConsumerSettings.of(FIXED, DEFAULTS, Map.of("enable.auto.commit", "true")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("enable.auto.commit")
                .hasMessageContaining("false");
        assertThatThrownBy(
                        () -> KafkaConsumerSettings.of(FIXED, DEFAULTS, Map.of("isolation.level", "read_uncommitted")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("isolation.level");
    }

    @Test
    void shouldLetThePassThroughSetTheRestAndOverrideTheDefaultsWhenItKeepsTheFixedSettings() {
        // when
        Properties props = KafkaConsumerSettings.of(
                FIXED,
                DEFAULTS,
                Map.of("enable.auto.commit", "false", "max.poll.records", "10", "security.protocol", "SSL"));
        // then
        assertThat(props)
                .containsEntry("enable.auto.commit", false)
                .containsEntry("isolation.level", "read_committed")
                .containsEntry("max.poll.records", "10")
                .containsEntry("security.protocol", "SSL");
    }
}
