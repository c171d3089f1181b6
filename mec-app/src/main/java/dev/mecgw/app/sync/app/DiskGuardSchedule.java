package dev.mecgw.app.sync.app;

import dev.mecgw.app.sync.SyncChannel;
import dev.mecgw.app.sync.SyncConfig;
import dev.mecgw.sync.backhaul.BackhaulMonitor;
import dev.mecgw.sync.backhaul.DiskGuard;
import dev.mecgw.sync.backhaul.SlotBacklog;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Every {@code mecgw.sync.disk-guard-interval}: recreates a slot PostgreSQL invalidated (issue 14.3) and resets a bulk slot whose backlog passed
 * {@code mecgw.sync.bulk-backlog-cap-bytes}, so that its tables are snapshotted again instead of the disk filling
 * (see {@link DiskGuard} and README "Sync: disk guard").
 */
@ApplicationScoped
public class DiskGuardSchedule {

    private static final Logger LOG = Logger.getLogger(DiskGuardSchedule.class);

    private final SyncLifecycle sync;
    private final DiskGuard guard;
    private final long capBytes;

    DiskGuardSchedule(SyncLifecycle sync, SyncConfig config) {
        this.sync = sync;
        this.guard = BackhaulMonitor.diskGuard(config.backlogAlarmBytes(), config.bulkBacklogCapBytes());
        this.capBytes = config.bulkBacklogCapBytes();
    }

    @Scheduled(
            every = "${mecgw.sync.disk-guard-interval}",
            delayed = "${mecgw.sync.disk-guard-interval}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void guard() {
        for (SyncChannel channel : sync.channels()) {
            Optional<SlotBacklog> backlog = channel.backlog();
            DiskGuard.Decision decision =
                    backlog.map(b -> guard.decide(b, channel.bulk())).orElse(DiskGuard.Decision.OK);
            if (decision == DiskGuard.Decision.OK) {
                continue;
            }
            if (decision == DiskGuard.Decision.RESET) {
                LOG.warnf(
                        "sync disk guard: bulk slot %s holds %d bytes (cap %d); resetting it, its tables will be"
                                + " snapshotted again",
                        channel.settings().slotName(), backlog.get().bytes(), capBytes);
            }
            if (!sync.recover(channel, decision)) {
                return;
            }
        }
    }
}
