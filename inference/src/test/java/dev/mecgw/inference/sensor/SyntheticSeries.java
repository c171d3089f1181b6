package dev.mecgw.inference.sensor;

import java.util.Random;
import java.util.Set;
import java.util.TreeSet;

/** A noisy daily-ish temperature curve with spikes injected at known positions. */
final class SyntheticSeries {

    final double[] values;
    final Set<Integer> anomalies = new TreeSet<>();

    SyntheticSeries(long seed, int length, int spikes) {
        Random random = new Random(seed);
        values = new double[length];
        for (int i = 0; i < length; i++) {
            values[i] = 21 + 1.0 * Math.sin(2 * Math.PI * i / 200) + random.nextGaussian() * 0.3;
        }
        while (anomalies.size() < spikes) {
            int at = 50 + random.nextInt(length - 100);
            if (anomalies.stream().noneMatch(a -> Math.abs(a - at) < 40)) {
                anomalies.add(at);
                values[at] += (random.nextBoolean() ? 1 : -1) * (6 + random.nextDouble() * 4);
            }
        }
    }

    static SyntheticSeries normal(long seed, int length) {
        return new SyntheticSeries(seed, length, 0);
    }
}
