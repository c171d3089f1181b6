package dev.mecgw.inference.sensor;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Per device and metric, the last {@code size} readings; every {@code stride} new readings, once full, they
 * form a window. Not thread-safe: one ingest thread feeds it, or callers synchronize.
 */
final class SlidingWindows {

    private final int size;
    private final int stride;
    private final Map<String, Ring> rings = new HashMap<>();

    /**
     * @param size readings per window, at least 1
     * @param stride readings between consecutive windows, 1..size ({@code size} gives disjoint windows)
     */
    public SlidingWindows(int size, int stride) {
        if (size < 1 || stride < 1 || stride > size) {
            throw new IllegalArgumentException("Need 1 <= stride <= size, got size " + size + ", stride " + stride);
        }
        this.size = size;
        this.stride = stride;
    }

    /** Adds readings (in time order per device and metric) and returns the windows they complete. */
    public List<SensorWindow> add(List<SensorReading> readings) {
        List<SensorWindow> complete = new ArrayList<>();
        for (SensorReading r : readings) {
            Ring ring = rings.computeIfAbsent(r.deviceId() + '\u0000' + r.metric(), k -> new Ring(size));
            ring.add((float) r.value(), r.ts());
            if (ring.count >= size && ++ring.sinceLast >= stride) {
                ring.sinceLast = 0;
                complete.add(ring.window(r.deviceId(), r.metric()));
            }
        }
        return complete;
    }

    private static final class Ring {
        final float[] values;
        final Instant[] times;
        int next;
        long count;
        int sinceLast;

        Ring(int size) {
            values = new float[size];
            times = new Instant[size];
        }

        void add(float value, Instant ts) {
            values[next] = value;
            times[next] = ts;
            next = (next + 1) % values.length;
            count++;
            if (count == values.length) {
                // The first full window is due now, whatever the stride.
                sinceLast = Integer.MAX_VALUE - 1;
            }
        }

        SensorWindow window(String deviceId, String metric) {
            float[] ordered = new float[values.length];
            for (int i = 0; i < values.length; i++) {
                ordered[i] = values[(next + i) % values.length];
            }
            return new SensorWindow(
                    deviceId, metric, times[next], times[(next + values.length - 1) % values.length], ordered);
        }
    }
}
