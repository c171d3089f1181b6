package dev.mecgw.app.sync.app;

import dev.mecgw.app.sync.CloudSync;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Every {@code mecgw.sync.backlog-sample-interval}: samples the backlog rows and age of each capture
 * (docs/sync.md "Backlog rows and age"); the period is their time resolution. The gauges and health read the last
 * estimate without querying. Stopped with {@code CloudSync} in SYNC's stop: {@link CloudSync#sampleBacklog} runs
 * through its gate, which that stop closes after the run in flight.
 */
@ApplicationScoped
public class BacklogSampling {

    private final CloudSync sync;

    BacklogSampling(CloudSync sync) {
        this.sync = sync;
    }

    @Scheduled(
            every = "${mecgw.sync.backlog-sample-interval}",
            delayed = "${mecgw.sync.backlog-sample-interval}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void sample() {
        sync.sampleBacklog();
    }
}
