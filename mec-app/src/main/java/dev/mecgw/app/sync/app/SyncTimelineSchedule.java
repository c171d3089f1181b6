package dev.mecgw.app.sync.app;

import dev.mecgw.app.events.Alarms;
import dev.mecgw.app.events.EventLog;
import dev.mecgw.app.sync.CloudSync;
import dev.mecgw.app.sync.SyncTimeline;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;

/**
 * Every {@code mecgw.sync.backlog-sample-interval}: feeds the sync status to the {@link SyncTimeline}, which records
 * the backhaul's ups and downs and the disk alarm as events (issue 19); the period is the timeline's resolution.
 * Stopped with {@code CloudSync} in SYNC's stop: a run goes through {@link CloudSync#whileRunning}, whose gate that
 * stop closes after the run in flight.
 */
@ApplicationScoped
public class SyncTimelineSchedule {

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
    void observe() {
        sync.whileRunning(() -> timeline.observe(sync.status()));
    }
}
