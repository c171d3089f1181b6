package dev.mecgw.app.sync.app;

import dev.mecgw.app.sync.CloudSync;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Every {@code mecgw.sync.disk-guard-interval}: recreates a slot PostgreSQL invalidated (issue 14.3) and resets a bulk
 * slot whose backlog passed {@code mecgw.sync.bulk-backlog-cap-bytes} (see {@link CloudSync#guardDisk} and README
 * "Sync: disk guard"). Stopped with {@code CloudSync} in SYNC's stop: the guard runs through its gate, which that stop
 * closes after the run in flight.
 */
@ApplicationScoped
public class DiskGuardSchedule {

    private final CloudSync sync;

    DiskGuardSchedule(CloudSync sync) {
        this.sync = sync;
    }

    @Scheduled(
            every = "${mecgw.sync.disk-guard-interval}",
            delayed = "${mecgw.sync.disk-guard-interval}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void guard() {
        sync.guardDisk();
    }
}
