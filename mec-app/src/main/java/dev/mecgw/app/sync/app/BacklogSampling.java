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
 * Every {@code mecgw.sync.backlog-sample-interval}: samples the backlog rows and age of each capture
 * (docs/sync.md "Backlog rows and age"); the period is their time resolution. The gauges and health read the last
 * estimate without querying.
 */
@ApplicationScoped
public class BacklogSampling {

    // Turned off in the sync phase's stop: the scheduler itself stops only after the store closed. CloudSync.stop()
    // closes the sync's own gate too, so whichever of the two SYNC_STOP observers CDI runs first, no run outlives it.
    private final PhaseGate gate = new PhaseGate("sync backlog sampling");

    private final CloudSync sync;

    BacklogSampling(CloudSync sync) {
        this.sync = sync;
    }

    @Scheduled(
            every = "${mecgw.sync.backlog-sample-interval}",
            delayed = "${mecgw.sync.backlog-sample-interval}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void sample() throws Exception {
        gate.run(sync::sampleBacklog);
    }

    void onStop(@Observes @Priority(LifecyclePhase.Order.SYNC_STOP) ShutdownEvent event) {
        gate.close();
    }
}
