package dev.mecgw.app.sync.app;

import dev.mecgw.app.gateway.LifecyclePhase;
import dev.mecgw.app.sync.CloudSync;
import dev.mecgw.app.sync.SyncStatus;
import dev.mecgw.sync.backhaul.BackhaulState;
import dev.mecgw.sync.backhaul.BacklogEstimate;
import dev.mecgw.sync.cdc.CaptureState;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Instant;
import java.util.List;

/**
 * Sync in {@code /q/metrics}; every gauge reads a fresh {@link SyncStatus}, except the backlog per priority class:
 * bytes read the class's slot, rows and age the estimate of the last one-second sample.
 */
@ApplicationScoped
public class SyncMetrics {

    private static final List<String> PRIORITY_CLASSES = List.of("critical", "bulk");

    void register(
            @Observes @Priority(LifecyclePhase.Order.SYNC_START) StartupEvent event,
            MeterRegistry registry,
            CloudSync sync) {
        Gauge.builder("mecgw.sync.configured", sync, s -> s.status().capture() == CaptureState.NOT_CONFIGURED ? 0 : 1)
                .description("1 when a cloud Kafka is configured, 0 when sync is not configured")
                .register(registry);
        Gauge.builder("mecgw.sync.backhaul.up", sync, s -> s.status().backhaul() == BackhaulState.UP ? 1 : 0)
                .description("1 while the cloud acknowledges changes")
                .register(registry);
        Gauge.builder("mecgw.sync.in.flight", sync, s -> s.status().inFlight())
                .description("changes sent and not yet acknowledged")
                .register(registry);
        FunctionCounter.builder("mecgw.sync.acknowledged", sync, s -> s.status().acknowledged())
                .description("changes acknowledged by the cloud since start")
                .register(registry);
        FunctionCounter.builder("mecgw.sync.downlink.refused", sync, CloudSync::downlinkRefused)
                .description("downlink messages the local store refused for good (SQLSTATE class 22 or 23), skipped")
                .register(registry);
        for (String priorityClass : PRIORITY_CLASSES) {
            Gauge.builder(
                            "mecgw.sync.backlog.bytes",
                            sync,
                            s -> s.backlogBytes(priorityClass).orElse(0L))
                    .tag("class", priorityClass)
                    .description("WAL bytes the class's replication slot retains for the cloud")
                    .baseUnit("bytes")
                    .register(registry);
            Gauge.builder(
                            "mecgw.sync.backlog.rows",
                            sync,
                            s -> s.backlogEstimate(priorityClass)
                                    .map(BacklogEstimate::rows)
                                    .orElse(0L))
                    .tag("class", priorityClass)
                    .description("row changes committed locally and not yet confirmed by the class's slot (estimate)")
                    .register(registry);
            Gauge.builder(
                            "mecgw.sync.backlog.oldest.age",
                            sync,
                            s -> s.backlogEstimate(priorityClass)
                                    .map(e -> e.oldestAge(Instant.now()).toMillis() / 1000.0)
                                    .orElse(0.0))
                    .tag("class", priorityClass)
                    .description("age of the oldest change the class's slot still holds; 0 when none (estimate)")
                    .baseUnit("seconds")
                    .register(registry);
        }
        Gauge.builder(
                        "mecgw.sync.replication.lag",
                        sync,
                        s -> s.status().replicationLag().toMillis() / 1000.0)
                .description("age of the newest change the cloud acknowledged while others wait; 0 when caught up")
                .baseUnit("seconds")
                .register(registry);
        Gauge.builder("mecgw.sync.last.success.age", sync, SyncMetrics::lastSuccessAge)
                .description("seconds since the cloud last acknowledged a change, -1 if never")
                .baseUnit("seconds")
                .register(registry);
        Gauge.builder("mecgw.sync.disk.alarm", sync, s -> s.status().diskAlarm() ? 1 : 0)
                .description("1 when a slot backlog passed mecgw.sync.backlog-alarm-bytes or WAL is at risk")
                .register(registry);
    }

    private static double lastSuccessAge(CloudSync sync) {
        return sync.status()
                .lastSuccess()
                .map(t -> (Instant.now().toEpochMilli() - t.toEpochMilli()) / 1000.0)
                .orElse(-1.0);
    }
}
