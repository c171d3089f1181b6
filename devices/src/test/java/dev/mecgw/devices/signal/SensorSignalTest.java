package dev.mecgw.devices.signal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;
import java.time.Instant;
import java.util.stream.DoubleStream;
import org.junit.jupiter.api.Test;

class SensorSignalTest {

    private static final Instant MIDNIGHT = Instant.parse("2026-12-05T00:00:00Z");
    private static final Duration DAY = Duration.ofHours(24);

    @Test
    void shouldFollowTheDailyCycleWithLowAtFourAndHighAtSixteen() {
        // given a noiseless healthy sensor
        SensorSignal signal = new SensorSignal(20, 2, 0, DAY, 0, Fault.NONE, 1);

        // then its low is at 04:00 and its high at 16:00
        assertThat(signal.at(MIDNIGHT.plus(Duration.ofHours(4)))).isCloseTo(18, within(1e-9));
        assertThat(signal.at(MIDNIGHT.plus(Duration.ofHours(16)))).isCloseTo(22, within(1e-9));
    }

    @Test
    void shouldCompressTheDayWhenTheSimulatedDayIsShort() {
        // given a 10-minute day
        SensorSignal signal = new SensorSignal(20, 2, 0, Duration.ofMinutes(10), 0, Fault.NONE, 1);

        // then 16/24 of ten minutes in is the high
        assertThat(signal.at(MIDNIGHT.plusMillis(400_000))).isCloseTo(22, within(1e-9));
    }

    @Test
    void shouldAddNoiseOfTheGivenSpread() {
        // given a sensor with noise 0.5 at a fixed instant of the cycle
        SensorSignal signal = new SensorSignal(20, 0, 0.5, DAY, 0, Fault.NONE, 7);

        // when sampled many times
        double[] values =
                DoubleStream.generate(() -> signal.at(MIDNIGHT)).limit(20_000).toArray();

        // then mean and spread match
        double mean = DoubleStream.of(values).average().orElseThrow();
        double sd = Math.sqrt(
                DoubleStream.of(values).map(v -> (v - mean) * (v - mean)).sum() / values.length);
        assertThat(mean).isCloseTo(20, within(0.02));
        assertThat(sd).isCloseTo(0.5, within(0.02));
    }

    @Test
    void shouldShowTheFaultOnlyFromItsStart() {
        // given an offset fault of 15 from one hour in
        Instant from = MIDNIGHT.plus(Duration.ofHours(1));
        SensorSignal signal = new SensorSignal(20, 0, 0, DAY, 0, new Fault(Fault.Kind.OFFSET, from, 15), 1);

        // then it is healthy before and shifted after
        assertThat(signal.at(from.minusSeconds(1))).isCloseTo(20, within(1e-9));
        assertThat(signal.at(from)).isCloseTo(35, within(1e-9));
    }

    @Test
    void shouldFreezeWhenStuck() {
        // given a noisy sensor that gets stuck
        SensorSignal signal = new SensorSignal(20, 2, 1, DAY, 0, new Fault(Fault.Kind.STUCK, MIDNIGHT, 0), 3);

        // then every later reading is the same
        double first = signal.at(MIDNIGHT);
        assertThat(signal.at(MIDNIGHT.plusSeconds(3600))).isEqualTo(first);
    }
}
