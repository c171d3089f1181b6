package dev.mecgw.app.console.devices;

import dev.mecgw.app.telemetry.Reading;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Readings in uPlot's aligned-columns shape: {@code {"metrics":[m1,..],"data":[[x..],[m1..],..]}} with x in epoch
 * seconds ascending and null where a metric has no value at an x. Built from the store's newest-first answer.
 */
final class DeviceChart {

    private DeviceChart() {}

    static Map<String, Object> of(List<Reading> readings) {
        TreeSet<Double> xs = new TreeSet<>();
        Map<String, Map<Double, Double>> byMetric = new TreeMap<>();
        for (Reading reading : readings) {
            double x = reading.ts().toEpochMilli() / 1000.0;
            xs.add(x);
            byMetric.computeIfAbsent(reading.metric(), m -> new TreeMap<>()).putIfAbsent(x, reading.value());
        }
        List<List<Double>> data = new ArrayList<>();
        data.add(new ArrayList<>(xs));
        for (Map<Double, Double> values : byMetric.values()) {
            List<Double> column = new ArrayList<>(xs.size());
            for (Double x : xs) {
                column.add(values.get(x));
            }
            data.add(column);
        }
        return Map.of("metrics", List.copyOf(byMetric.keySet()), "data", data);
    }
}
