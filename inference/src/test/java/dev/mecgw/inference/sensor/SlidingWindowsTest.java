package dev.mecgw.inference.sensor;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SlidingWindowsTest {

    @Test
    void shouldEmitWindowEveryStrideOncePerDeviceAndMetricWhenFull() {
        // given
        SlidingWindows windows = new SlidingWindows(4, 2);
        List<SensorReading> readings = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            readings.add(new SensorReading("d1", "temp", Instant.ofEpochSecond(i), i));
            readings.add(new SensorReading("d2", "temp", Instant.ofEpochSecond(i), 100 + i));
        }

        // when
        List<SensorWindow> out = windows.add(readings);

        // then: full after 4 readings, then every 2: windows ending at 3, 5, 7 per device
        assertThat(out).hasSize(6);
        assertThat(out.stream()
                        .filter(w -> w.deviceId().equals("d1"))
                        .map(w -> w.values()[3])
                        .toList())
                .containsExactly(3f, 5f, 7f);
        SensorWindow first = out.get(0);
        assertThat(first.values()).containsExactly(0f, 1f, 2f, 3f);
        assertThat(first.from()).isEqualTo(Instant.ofEpochSecond(0));
        assertThat(first.to()).isEqualTo(Instant.ofEpochSecond(3));
    }
}
