package dev.mecgw.app.southbound;

import dev.mecgw.app.gateway.DaemonThreads;
import dev.mecgw.app.ingest.TelemetryIngest;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * The threads and services shared by every southbound client: the bounded worker pool, one timer thread, and one
 * store thread for blocking registry and event-log writes, so that neither a network thread nor a worker waits on
 * the database.
 */
final class SouthboundRuntime implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(SouthboundRuntime.class);

    private final SouthboundServices services;
    private final SouthboundConfig config;
    private final ConnectionStates states;
    private final ThreadPoolExecutor workers;
    private final ScheduledExecutorService timers;
    private final ExecutorService store;

    SouthboundRuntime(SouthboundServices services, SouthboundConfig config) {
        this.services = services;
        this.config = config;
        this.states = new ConnectionStates(services.clock());
        // Bounded in threads and queue: a flood of responses cannot grow memory; a full queue drops the task, and the
        // submitter sees a RejectedExecutionException it reports as a failed poll.
        this.workers = new ThreadPoolExecutor(
                config.workers(),
                config.workers(),
                60,
                TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(config.workQueue()),
                DaemonThreads.named("mecgw-southbound-%d"),
                new ThreadPoolExecutor.AbortPolicy());
        this.timers = Executors.newSingleThreadScheduledExecutor(DaemonThreads.named("mecgw-southbound-timer"));
        this.store = Executors.newSingleThreadExecutor(DaemonThreads.named("mecgw-southbound-store"));
    }

    SouthboundServices services() {
        return services;
    }

    SouthboundConfig config() {
        return config;
    }

    ConnectionStates states() {
        return states;
    }

    TelemetryIngest ingest() {
        return services.ingest();
    }

    ThreadPoolExecutor workers() {
        return workers;
    }

    ScheduledExecutorService timers() {
        return timers;
    }

    ExecutorService store() {
        return store;
    }

    Clock clock() {
        return services.clock();
    }

    /** Marks the device online or offline and records the transition as an event, on the store thread. */
    void presence(SouthboundDevice device, boolean online, String error) {
        Instant at = services.clock().instant();
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("type", device.type());
        if (error != null) {
            payload.put("error", error);
        }
        onStore(() -> {
            services.registry().updatePresence(device.id(), online, at);
            services.events()
                    .record(
                            device.id(),
                            online ? "southbound.online" : "southbound.offline",
                            online ? "info" : "warning",
                            payload);
        });
    }

    void event(String deviceId, String kind, String severity, Map<String, ?> payload) {
        onStore(() -> services.events().record(deviceId, kind, severity, payload));
    }

    void onStore(Runnable task) {
        try {
            store.execute(() -> {
                try {
                    task.run();
                } catch (RuntimeException e) {
                    LOG.warnf("southbound store work failed: %s", e.getMessage());
                }
            });
        } catch (java.util.concurrent.RejectedExecutionException e) {
            LOG.debugf("southbound store work dropped at shutdown: %s", e.getMessage());
        }
    }

    @Override
    public void close() {
        timers.shutdownNow();
        workers.shutdown();
        store.shutdown();
        try {
            workers.awaitTermination(5, TimeUnit.SECONDS);
            store.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
