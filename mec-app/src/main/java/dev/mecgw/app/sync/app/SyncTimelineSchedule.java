package dev.mecgw.app.sync.app;

import dev.mecgw.app.events.Alarms;
import dev.mecgw.app.events.EventLog;
import dev.mecgw.app.gateway.LifecyclePhase;
import dev.mecgw.app.gateway.PhaseGate;
import dev.mecgw.app.sync.CloudSync;
import dev.mecgw.app.sync.SyncTimeline;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.scheduler.Scheduled;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.Optional;

/**
 * Every {@code mecgw.sync.backlog-sample-interval}: feeds the sync status to the {@link SyncTimeline}, which records
 * the backhaul's ups and downs and the disk alarm as events (issue 19); the period is the timeline's resolution.
 */
@ApplicationScoped
public class SyncTimelineSchedule {

    // Turned off in the sync phase's stop: the scheduler itself stops only after the store closed. CloudSync.stop()
    // closes the sync's own gate too, so whichever of the two SYNC_STOP observers CDI runs first, no run outlives it.
    private final PhaseGate gate = new PhaseGate("sync timeline");

    private final CloudSync sync;
    private final SyncTimeline timeline;

    SyncTimelineSchedule(CloudSync sync, EventLog events, Alarms alarms) {
        this.sync = sync;
        this.timeline = new SyncTimeline(
                events,
                (kind, note) -> alarms.clearGroup(kind, Optional.empty(), SyncTimeline.SYSTEM_USER, Optional.of(note)));
    }

    @Scheduled(
            every = "${mecgw.sync.backlog-sample-interval}",
            delayed = "${mecgw.sync.backlog-sample-interval}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void observe() throws Exception {
        gate.run(() -> sync.whileRunning(() -> timeline.observe(sync.status())));
    }

    void onStop(@Observes @Priority(LifecyclePhase.Order.SYNC_STOP) ShutdownEvent event) {
        gate.close();
    }
}
