package dev.mecgw.inference.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class ModelMetadataScopeTest {

    @Test
    void shouldMatchAReadingOfUnknownTypeOrMetricOnlyToModelsThatNameNone() {
        // given a model scoped to a metric and a device type, and one that names neither
        ModelMetadata scoped = sensorModel().withScope(List.of("pressure"), List.of("weather"));
        ModelMetadata unscoped = sensorModel();

        // then a reading whose device type (or metric) is unknown matches only the unscoped model, and fails neither
        // (the soak of 12-06 20:04 logged a NullPointerException here for a reading of unknown type: the scope lists
        // are immutable copies, whose contains(null) throws, and the whole batch went unscored)
        assertThat(scoped.appliesTo("pressure", null)).isFalse();
        assertThat(scoped.appliesTo(null, "weather")).isFalse();
        assertThat(unscoped.appliesTo("pressure", null)).isTrue();
        assertThat(unscoped.appliesTo(null, null)).isTrue();
        assertThat(scoped.appliesTo("pressure", "weather")).isTrue();
        assertThat(scoped.appliesTo("temp", "weather")).isFalse();
    }

    private static ModelMetadata sensorModel() {
        return new ModelMetadata(
                "sensor-anomaly",
                "1",
                ModelKind.SENSOR,
                null,
                "0".repeat(64),
                List.of(),
                List.of(),
                null,
                null,
                List.of(),
                List.of(),
                List.of());
    }
}
