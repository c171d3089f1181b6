package dev.mecgw.app.sync.app;

import dev.mecgw.app.gateway.LifecyclePhase;
import dev.mecgw.app.gateway.PhaseGate;
import dev.mecgw.app.sync.CloudSync;
import dev.mecgw.app.sync.SyncConfig;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.scheduler.Scheduled;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * Every {@code mecgw.sync.probe-interval}: retries failed captures and the cloud Kafka clients, and probes the
 * backhaul of idle captures (see {@link CloudSync#probeBackhaul}).
 */
@ApplicationScoped
public class BackhaulProbeSchedule {

    // Turned off in the sync phase's stop: the scheduler itself stops only after the store closed. CloudSync.stop()
    // closes the sync's own gate too, so whichever of the two SYNC_STOP observers CDI runs first, no run outlives it.
    private final PhaseGate gate = new PhaseGate("sync backhaul probe");

    private final CloudSync sync;
    private final SyncConfig config;

    BackhaulProbeSchedule(CloudSync sync, SyncConfig config) {
        this.sync = sync;
        this.config = config;
    }

    @Scheduled(
            every = "${mecgw.sync.probe-interval}",
            delayed = "${mecgw.sync.probe-interval}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void probe() throws Exception {
        gate.run(() -> sync.probeBackhaul(config.probeTimeout()));
    }

    void onStop(@Observes @Priority(LifecyclePhase.Order.SYNC_STOP) ShutdownEvent event) {
        gate.close();
    }
}
