package dev.mecgw.app.sync.app;

import dev.mecgw.app.sync.SyncChannel;
import dev.mecgw.app.sync.SyncConfig;
import dev.mecgw.sync.backhaul.DiskGuard;
import dev.mecgw.sync.backhaul.SlotBacklog;
import dev.mecgw.sync.cdc.PostgresSlotReset;
import io.agroal.api.AgroalDataSource;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.SQLException;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Every {@code mecgw.sync.disk-guard-interval}: resets a bulk slot whose backlog passed
 * {@code mecgw.sync.bulk-backlog-cap-bytes}, so that its tables are snapshotted again instead of the disk filling
 * (see {@link DiskGuard} and README "Sync: disk guard").
 */
@ApplicationScoped
public class DiskGuardSchedule {

    private static final Logger LOG = Logger.getLogger(DiskGuardSchedule.class);

    private final SyncLifecycle sync;
    private final AgroalDataSource dataSource;
    private final DiskGuard guard;
    private final long capBytes;

    DiskGuardSchedule(SyncLifecycle sync, SyncConfig config, AgroalDataSource dataSource) {
        this.sync = sync;
        this.dataSource = dataSource;
        this.guard = new DiskGuard(config.backlogAlarmBytes(), config.bulkBacklogCapBytes());
        this.capBytes = config.bulkBacklogCapBytes();
    }

    @Scheduled(
            every = "${mecgw.sync.disk-guard-interval}",
            delayed = "${mecgw.sync.disk-guard-interval}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void guard() {
        for (SyncChannel channel : sync.channels()) {
            Optional<SlotBacklog> backlog = channel.backlog();
            if (backlog.isPresent() && guard.decide(backlog.get(), channel.bulk()) == DiskGuard.Decision.RESET) {
                LOG.warnf(
                        "sync disk guard: bulk slot %s holds %d bytes (cap %d); resetting it, its tables will be"
                                + " snapshotted again",
                        channel.settings().slotName(), backlog.get().bytes(), capBytes);
                channel.stop();
                try {
                    PostgresSlotReset.reset(
                            dataSource,
                            channel.settings().slotName(),
                            channel.settings().name());
                } catch (SQLException e) {
                    LOG.errorf(
                            "sync disk guard could not reset slot %s: %s",
                            channel.settings().slotName(), e.getMessage());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
                channel.start();
            }
        }
    }
}
