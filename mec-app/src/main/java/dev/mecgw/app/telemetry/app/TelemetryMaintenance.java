package dev.mecgw.app.telemetry.app;

import dev.mecgw.app.gateway.LifecyclePhase;
import dev.mecgw.app.gateway.PhaseGate;
import dev.mecgw.app.gateway.StopDeadline;
import dev.mecgw.app.telemetry.TelemetryConfig;
import dev.mecgw.app.telemetry.TelemetryPartitions;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Clock;
import javax.sql.DataSource;

/**
 * Runs partition maintenance at start-up, before any ingest can write, and then every hour so that the
 * next day's partition always exists well before midnight UTC; the hourly runs stop with the writers, before the
 * store closes.
 */
@ApplicationScoped
public class TelemetryMaintenance {

    private final TelemetryPartitions partitions;
    private final TelemetryConfig config;
    private final PhaseGate gate;

    public TelemetryMaintenance(DataSource dataSource, TelemetryConfig config, StopDeadline stop) {
        this.partitions = new TelemetryPartitions(dataSource, Clock.systemUTC());
        this.config = config;
        this.gate = new PhaseGate("telemetry partition maintenance", stop);
    }

    void onStart(@Observes @Priority(LifecyclePhase.Order.STORE_START) StartupEvent event) throws Exception {
        maintain();
    }

    // A run in flight ends before the store closes.
    void onStop(@Observes @Priority(LifecyclePhase.Order.WRITERS_STOP) ShutdownEvent event) {
        gate.close();
    }

    @Scheduled(every = "1h", delayed = "1h", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void maintain() throws Exception {
        gate.run(() -> partitions.maintain(config.partitionsAhead(), config.retention()));
    }
}
