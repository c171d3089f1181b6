package dev.mecgw.app.southbound.modbus;

import dev.mecgw.app.southbound.Backoff;
import dev.mecgw.app.southbound.SouthboundLink;
import dev.mecgw.app.telemetry.Reading;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

/** A {@link SouthboundLink} that records what a client reports, with short backoffs for tests. */
final class RecordingLink implements SouthboundLink, AutoCloseable {

    final List<Reading> readings = new CopyOnWriteArrayList<>();
    final List<String> states = new CopyOnWriteArrayList<>();
    final List<String> events = new CopyOnWriteArrayList<>();
    private final String deviceId;
    private final ExecutorService workers = Executors.newFixedThreadPool(2);
    private final ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor();
    private volatile String lastState = "";

    RecordingLink(String deviceId) {
        this.deviceId = deviceId;
    }

    /** @return the latest value of the metric, or null */
    Double latest(String metric) {
        for (int i = readings.size() - 1; i >= 0; i--) {
            if (readings.get(i).metric().equals(metric)) {
                return readings.get(i).value();
            }
        }
        return null;
    }

    long count(String metric) {
        return readings.stream().filter(r -> r.metric().equals(metric)).count();
    }

    String lastState() {
        return lastState;
    }

    @Override
    public String deviceId() {
        return deviceId;
    }

    @Override
    public CompletionStage<Void> submit(List<Reading> batch) {
        readings.addAll(batch);
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public void online() {
        lastState = "online";
        states.add(lastState);
    }

    @Override
    public void offline(String error) {
        lastState = "offline: " + error;
        states.add(lastState);
    }

    @Override
    public void event(String kind, String severity, Map<String, ?> payload) {
        events.add(kind);
    }

    @Override
    public ExecutorService workers() {
        return workers;
    }

    @Override
    public ScheduledExecutorService timers() {
        return timers;
    }

    @Override
    public Backoff backoff() {
        return new Backoff(Duration.ofMillis(50), Duration.ofMillis(200));
    }

    @Override
    public Clock clock() {
        return Clock.systemUTC();
    }

    @Override
    public void close() {
        timers.shutdownNow();
        workers.shutdownNow();
    }
}
