package dev.mecgw.app.sync.app;

import dev.mecgw.app.gateway.LifecyclePhase;
import dev.mecgw.app.gateway.PhaseGate;
import dev.mecgw.app.sync.CloudSync;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.scheduler.Scheduled;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * Every {@code mecgw.sync.disk-guard-interval}: recreates a slot PostgreSQL invalidated (issue 14.3) and resets a bulk
 * slot whose backlog passed {@code mecgw.sync.bulk-backlog-cap-bytes} (see {@link CloudSync#guardDisk} and README
 * "Sync: disk guard").
 */
@ApplicationScoped
public class DiskGuardSchedule {

    // Turned off in the sync phase's stop: the scheduler itself stops only after the store closed. CloudSync.stop()
    // closes the sync's own gate too, so whichever of the two SYNC_STOP observers CDI runs first, no run outlives it.
    private final PhaseGate gate = new PhaseGate("sync disk guard");

    private final CloudSync sync;

    DiskGuardSchedule(CloudSync sync) {
        this.sync = sync;
    }

    @Scheduled(
            every = "${mecgw.sync.disk-guard-interval}",
            delayed = "${mecgw.sync.disk-guard-interval}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void guard() throws Exception {
        gate.run(sync::guardDisk);
    }

    void onStop(@Observes @Priority(LifecyclePhase.Order.SYNC_STOP) ShutdownEvent event) {
        gate.close();
    }
}
