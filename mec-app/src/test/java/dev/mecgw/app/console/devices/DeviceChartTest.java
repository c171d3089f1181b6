package dev.mecgw.app.console.devices;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mecgw.app.telemetry.Reading;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DeviceChartTest {

    private static final Instant T0 = Instant.parse("2026-12-05T12:00:00Z");

    @Test
    void shouldAlignMetricsAscendingWhenStoreAnswersNewestFirst() {
        // given readings newest first, as the store answers, with metrics at different times
        List<Reading> readings = List.of(reading("temp", 2, 22.0), reading("hum", 1, 40.0), reading("temp", 0, 21.0));
        // when
        Map<String, Object> chart = DeviceChart.of(readings);
        // then x ascends in epoch seconds and each metric has null where it has no value
        assertThat(chart.get("metrics")).isEqualTo(List.of("hum", "temp"));
        double x0 = T0.getEpochSecond();
        assertThat(chart.get("data"))
                .isEqualTo(List.of(
                        List.of(x0, x0 + 1, x0 + 2), Arrays.asList(null, 40.0, null), Arrays.asList(21.0, null, 22.0)));
    }

    @Test
    void shouldGiveEmptyColumnsWhenThereAreNoReadings() {
        // when
        Map<String, Object> chart = DeviceChart.of(List.of());
        // then
        assertThat(chart.get("metrics")).isEqualTo(List.of());
        assertThat(chart.get("data")).isEqualTo(List.of(List.of()));
    }

    private static Reading reading(String metric, int second, double value) {
        return new Reading("d1", metric, T0.plusSeconds(second), value, null, Reading.Kind.NUMBER, 0);
    }
}
