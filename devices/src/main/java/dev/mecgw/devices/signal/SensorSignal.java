package dev.mecgw.devices.signal;

import java.time.Duration;
import java.time.Instant;
import java.util.SplittableRandom;

/**
 * A plausible sensor reading over time: a base level, a daily cycle (a sine with its low at 04:00 and its high
 * at 16:00 of the simulated day), Gaussian noise, and optionally a {@link Fault} from a given instant on. The
 * simulated day may be shorter than 24 h so that a demo shows the cycle in minutes. Not thread-safe (one signal
 * per device, read by the device's own scheduler).
 */
public final class SensorSignal {

    private final double base;
    private final double amplitude;
    private final double noise;
    private final Duration day;
    private final double phase;
    private final Fault fault;
    private final SplittableRandom random;
    private double stuckValue = Double.NaN;

    /**
     * @param base mean level, e.g. 21.0 (°C)
     * @param amplitude half the daily swing, e.g. 2.0
     * @param noise standard deviation of the Gaussian noise, e.g. 0.2
     * @param day length of one simulated day, e.g. 24 h (10 min for a demo)
     * @param phase fraction of a day (0..1) this sensor lags behind the site's clock, so that sensors differ
     * @param fault what goes wrong and when; {@link Fault#NONE} for a healthy sensor
     * @param seed noise seed, so that runs repeat
     */
    public SensorSignal(
            double base, double amplitude, double noise, Duration day, double phase, Fault fault, long seed) {
        if (day.isZero() || day.isNegative()) {
            throw new IllegalArgumentException("day must be positive");
        }
        this.base = base;
        this.amplitude = amplitude;
        this.noise = noise;
        this.day = day;
        this.phase = phase;
        this.fault = fault;
        this.random = new SplittableRandom(seed);
    }

    /** The reading at an instant (call with increasing instants for a faithful fault). */
    public double at(Instant now) {
        double healthy = base + amplitude * cycle(now) + noise * gaussian();
        if (!fault.activeAt(now)) {
            return healthy;
        }
        return switch (fault.kind()) {
            case OFFSET -> healthy + fault.magnitude();
            case SPIKES -> healthy + (random.nextDouble() < 0.5 ? fault.magnitude() : -fault.magnitude());
            case STUCK -> {
                if (Double.isNaN(stuckValue)) {
                    stuckValue = healthy + fault.magnitude();
                }
                yield stuckValue;
            }
            case NOISE -> healthy + fault.magnitude() * gaussian();
        };
    }

    /** The daily cycle in -1..1: -1 at 04:00 and +1 at 16:00 of the simulated day. */
    double cycle(Instant now) {
        double dayMillis = day.toMillis();
        double fraction = ((now.toEpochMilli() % (long) dayMillis) / dayMillis + 1 - phase) % 1.0;
        // sin reaches -1 at 3/4 of its period; shift so that happens at 4/24 of the day.
        return Math.sin(2 * Math.PI * (fraction - 4.0 / 24 + 0.75));
    }

    private double gaussian() {
        // Box-Muller; SplittableRandom has no nextGaussian on Java 17.
        double u = 1.0 - random.nextDouble();
        double v = random.nextDouble();
        return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
    }
}
