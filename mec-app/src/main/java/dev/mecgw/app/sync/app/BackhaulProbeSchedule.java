package dev.mecgw.app.sync.app;

import dev.mecgw.app.sync.CloudSync;
import dev.mecgw.app.sync.SyncConfig;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Every {@code mecgw.sync.probe-interval}: retries failed captures and the cloud Kafka clients, and probes the
 * backhaul of idle captures (see {@link CloudSync#probeBackhaul}). Stopped with {@code CloudSync} in SYNC's stop: the
 * probe runs through its gate, which that stop closes after the run in flight (review 10, 4: a gate of this class's
 * own around it added a second 30 s wait for one hung run).
 */
@ApplicationScoped
public class BackhaulProbeSchedule {

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
    void probe() throws InterruptedException {
        sync.probeBackhaul(config.probeTimeout());
    }
}
