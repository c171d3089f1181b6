package dev.mecgw.app.retention.app;

import dev.mecgw.app.events.EventLog;
import dev.mecgw.app.gateway.LifecyclePhase;
import dev.mecgw.app.gateway.PhaseGate;
import dev.mecgw.app.gateway.StopDeadline;
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
    private final PhaseGate gate;
    // Set in SYNC's start: the scheduler may fire before it; the gate ends the runs in SYNC's stop.
    private volatile boolean running;
    // Set in SYNC's stop: a run in flight ends before its next batch.
    private volatile boolean stopping;

    RetentionSchedule(
            DataSource dataSource, RetentionConfig config, EventLog events, MeterRegistry meters, StopDeadline stop) {
        this.retention = Retention.create(dataSource, config, Clock.systemUTC(), events, meters);
        this.enabled = config.enabled();
        this.gate = new PhaseGate("retention", stop);
    }

    void onStart(@Observes @Priority(LifecyclePhase.Order.SYNC_START) StartupEvent event) {
        running = enabled;
    }

    // No run starts once SYNC's stop began, and a run in flight deletes no batch after it: the stop signal is asked
    // before each batch, so the gate waits for the batch under way only (one short transaction, its lock waits capped
    // at 2 s), not for the run's hundreds of batches (review 10, finding 5). A batch still running after the gate's
    // bound (30 s, less once the shutdown's deadline is near) is named in its WARN; it is the run's last.
    void onStop(@Observes @Priority(LifecyclePhase.Order.SYNC_STOP) ShutdownEvent event) {
        stopping = true;
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

    /**
     * Runs once now, whatever the schedule (tests, tools); once SYNC's stop began it ends before its next batch, as a
     * scheduled run does. Blocking.
     *
     * @return what was deleted, empty when the run failed
     */
    public synchronized Optional<RetentionRun> runNow() {
        return retention.run(() -> stopping);
    }
}
