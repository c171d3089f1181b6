package dev.mecgw.app.console;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mecgw.app.gateway.DaemonThreads;
import dev.mecgw.app.ingest.CommittedTelemetryListener;
import dev.mecgw.app.telemetry.Reading;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLongArray;
import org.jboss.logging.Logger;

/**
 * Committed readings for the console (issue 19): pushed as {@value #EVENT} events to the device pages that watch
 * the device, and counted for the Overview's readings per second. The ingest writer's call only counts and hands
 * the batch to one thread with a short queue (a batch nobody can take is dropped: the chart misses a point, ingest
 * never waits). An event carries at most {@value #MAX_PER_EVENT} readings. Thread-safe.
 */
public final class LiveReadings implements CommittedTelemetryListener, AutoCloseable {

    /** The SSE event name of new readings: {@code [{"metric":..,"ts":epoch seconds,"value":..},..]}. */
    public static final String EVENT = "readings";

    static final int MAX_PER_EVENT = 500;
    private static final int SECONDS = 11;
    private static final Logger LOG = Logger.getLogger(LiveReadings.class);

    private final ObjectMapper json;
    private final Clock clock;
    private final Map<String, Set<LiveStream>> watchers = new ConcurrentHashMap<>();
    // Readings per second of the last SECONDS seconds, a ring indexed by epoch second.
    private final AtomicLongArray perSecond = new AtomicLongArray(SECONDS);
    private final AtomicLongArray secondOf = new AtomicLongArray(SECONDS);
    private final ThreadPoolExecutor pusher;

    public LiveReadings(ObjectMapper json, Clock clock) {
        this.json = json;
        this.clock = clock;
        this.pusher = new ThreadPoolExecutor(
                1,
                1,
                0,
                TimeUnit.MILLISECONDS,
                new ArrayBlockingQueue<>(256),
                DaemonThreads.named("mecgw-console-readings"),
                new ThreadPoolExecutor.DiscardPolicy());
    }

    @Override
    public void committed(List<Reading> readings) {
        count(readings.size());
        if (!watchers.isEmpty()) {
            pusher.execute(() -> push(readings));
        }
    }

    /** The stream receives the device's new readings until it closes ({@link #unwatch}). */
    public void watch(String deviceId, LiveStream stream) {
        watchers.computeIfAbsent(deviceId, d -> ConcurrentHashMap.newKeySet()).add(stream);
    }

    public void unwatch(String deviceId, LiveStream stream) {
        watchers.computeIfPresent(deviceId, (d, streams) -> {
            streams.remove(stream);
            return streams.isEmpty() ? null : streams;
        });
    }

    /** Committed readings per second over the last ten complete seconds. */
    public double perSecond() {
        long now = clock.millis() / 1000;
        long sum = 0;
        for (long second = now - (SECONDS - 1); second < now; second++) {
            int slot = (int) (second % SECONDS);
            if (secondOf.get(slot) == second) {
                sum += perSecond.get(slot);
            }
        }
        return sum / (double) (SECONDS - 1);
    }

    @Override
    public void close() {
        pusher.shutdownNow();
    }

    private void count(int readings) {
        long second = clock.millis() / 1000;
        int slot = (int) (second % SECONDS);
        long was = secondOf.get(slot);
        if (was != second && secondOf.compareAndSet(slot, was, second)) {
            perSecond.set(slot, 0);
        }
        perSecond.addAndGet(slot, readings);
    }

    private void push(List<Reading> readings) {
        Map<String, List<Map<String, Object>>> byDevice = new LinkedHashMap<>();
        for (Reading reading : readings) {
            if (watchers.containsKey(reading.deviceId())) {
                List<Map<String, Object>> points = byDevice.computeIfAbsent(reading.deviceId(), d -> new ArrayList<>());
                if (points.size() < MAX_PER_EVENT) {
                    points.add(Map.of(
                            "metric", reading.metric(),
                            "ts", reading.ts().toEpochMilli() / 1000.0,
                            "value", reading.value()));
                }
            }
        }
        byDevice.forEach((device, points) -> {
            try {
                String data = json.writeValueAsString(points);
                watchers.getOrDefault(device, Set.of()).forEach(stream -> stream.send(EVENT, data));
            } catch (JsonProcessingException | RuntimeException e) {
                LOG.debugf("Live readings of %s not pushed: %s", device, e.getMessage());
            }
        });
    }
}
