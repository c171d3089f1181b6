package dev.mecgw.inference.model;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

class ModelCountersTest {

    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final ModelCounters counters = new ModelCounters("test.outputs", "Test outputs", meters);

    @Test
    void shouldCountEachVersionAndOutcomeApartWhenIncremented() {
        // Given two versions of one model
        counters.of("m", "1", "scored").increment();
        counters.of("m", "1", "scored").increment();
        counters.of("m", "2", "scored").increment();
        counters.of("m", "2", "anomalous").increment(3);

        // Then each model version and outcome has its own counter, tagged as the health gate reads it
        assertThat(count("1", "scored")).isEqualTo(2.0);
        assertThat(count("2", "scored")).isEqualTo(1.0);
        assertThat(count("2", "anomalous")).isEqualTo(3.0);
        assertThat(meters.get("test.outputs")
                        .tags("model", "m", "version", "1", "outcome", "scored")
                        .counter()
                        .getId()
                        .getDescription())
                .isEqualTo("Test outputs");
    }

    @Test
    void shouldTagOnlyModelAndOutcomeWhenNoVersionIsGiven() {
        // When a per-model counter is incremented twice through two lookups
        counters.of("m", "dropped").increment();
        counters.of("m", "dropped").increment();

        // Then it is one counter, without a version tag
        assertThat(meters.get("test.outputs")
                        .tags("model", "m", "outcome", "dropped")
                        .counter()
                        .count())
                .isEqualTo(2.0);
        assertThat(meters.find("test.outputs").tagKeys("version").counters()).isEmpty();
    }

    private double count(String version, String outcome) {
        return meters.get("test.outputs")
                .tags("model", "m", "version", version, "outcome", outcome)
                .counter()
                .count();
    }
}
