package dev.mecgw.sync.downlink;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The downlink consumer's settings: a pass-through property cannot break its exactly-once effect. */
class KafkaDownlinkConsumerTest {

    @ParameterizedTest
    @CsvSource({"enable.auto.commit, true", "group.id, another-group"})
    void shouldRefuseNamingTheKeyWhenAPassThroughPropertyWouldBreakTheContract(String key, String value) {
        assertThatThrownBy(() -> KafkaDownlinkConsumer.create(
                                "127.0.0.1:9", "site-s", Map.of(key, value), null, DownlinkListener.NONE)
                        .close())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(key);
    }

    @ParameterizedTest
    @CsvSource({"enable.auto.commit, true", "bootstrap.servers, elsewhere:9092"})
    void shouldRefuseTheSameKeysWithoutBuildingAConsumer(String key, String value) {
        // the cloud's name need not resolve: the gateway checks the settings at start, before any client exists
        assertThatThrownBy(() ->
                        KafkaDownlinkConsumer.checkSettings("kafka.cloud.invalid:9092", "site-s", Map.of(key, value)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(key);
    }
}
