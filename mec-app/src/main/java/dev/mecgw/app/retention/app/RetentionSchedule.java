package dev.mecgw.app.retention.app;

import dev.mecgw.app.events.EventLog;
import dev.mecgw.app.gateway.LifecyclePhase;
import dev.mecgw.app.gateway.PhaseGate;
import dev.mecgw.app.retention.Retention;
import dev.mecgw.app.retention.RetentionConfig;
import dev.mecgw.app.retention.RetentionRun;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Clock;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * Builds the {@link Retention} and runs it every {@code mecgw.retention.interval}, only between the sync phase's
 * start and stop (the store is migrated and open; the capture that keeps retention deletes at the site may start
 * later or earlier: the markers are in the database).
 */
@ApplicationScoped
public class RetentionSchedule {

    private final Retention retention;
    private final boolean enabled;
    private final PhaseGate gate = new PhaseGate("retention");
    // Set in SYNC's start: the scheduler may fire before it; the gate ends the runs in SYNC's stop.
    private volatile boolean running;

    RetentionSchedule(DataSource dataSource, RetentionConfig config, EventLog events, MeterRegistry meters) {
        this.retention = Retention.create(dataSource, config, Clock.systemUTC(), events, meters);
        this.enabled = config.enabled();
    }

    void onStart(@Observes @Priority(LifecyclePhase.Order.SYNC_START) StartupEvent event) {
        running = enabled;
    }

    // No run starts once SYNC's stop began. The gate waits for a run in flight up to its bound (30 s), so a run that
    // ends within it deletes nothing after SYNC stopped; a longer one (up to max-batches-per-run batches a table, 100
    // of 5,000 rows by default: minutes on the appliance) is named in the gate's WARN and goes on deleting after SYNC
    // stopped, maybe into a closed store: a run cannot yet be stopped between its batches (review 10, finding 5).
    void onStop(@Observes @Priority(LifecyclePhase.Order.SYNC_STOP) ShutdownEvent event) {
        gate.close();
    }

    @Scheduled(
            every = "${mecgw.retention.interval:10m}",
            delayed = "30s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void scheduled() {
        gate.run(() -> {
            if (running) {
                runNow();
            }
        });
    }

    /** Runs once now, whatever the schedule and phase (tests, tools); empty when it failed. Blocking. */
    public synchronized Optional<RetentionRun> runNow() {
        return retention.run();
    }
}
