package dev.mecgw.app.sync;

import dev.mecgw.app.events.EventLog;
import dev.mecgw.sync.backhaul.DiskGuard;
import dev.mecgw.sync.cdc.DebeziumChangeCapture;
import io.micrometer.core.instrument.MeterRegistry;
import java.sql.SQLException;
import java.util.Map;
import javax.sql.DataSource;
import org.jboss.logging.Logger;

/**
 * Starts a capture again from a snapshot: stops it, drops its slot and stored offsets, and starts it (disk guard
 * reset, or issue 14.3: a slot PostgreSQL invalidated, which is also logged, counted in
 * {@code mecgw.sync.slot.recoveries} and recorded as a {@code sync.slot.lost} alarm).
 */
final class SlotRecovery {

    private static final Logger LOG = Logger.getLogger(SlotRecovery.class);

    private final DataSource dataSource;
    private final EventLog events;
    private final MeterRegistry meters;

    SlotRecovery(DataSource dataSource, EventLog events, MeterRegistry meters) {
        this.dataSource = dataSource;
        this.events = events;
        this.meters = meters;
    }

    /**
     * @param decision the disk guard's decision: {@link DiskGuard.Decision#RECOVER} for a lost slot, else a reset
     * @return false when interrupted (stop guarding)
     */
    boolean recover(SyncChannel channel, DiskGuard.Decision decision) {
        if (decision == DiskGuard.Decision.RECOVER) {
            recordSlotLost(channel);
        }
        return restartFromSnapshot(channel);
    }

    // Issue 14.3: PostgreSQL invalidated the slot (past max_slot_wal_keep_size); it can never stream again.
    private void recordSlotLost(SyncChannel channel) {
        LOG.errorf(
                "sync: PostgreSQL invalidated replication slot %s (WAL past max_slot_wal_keep_size was removed);"
                        + " recreating it and snapshotting %s again",
                channel.settings().slotName(), channel.settings().tables());
        meters.counter("mecgw.sync.slot.recoveries", "class", channel.priorityClass())
                .increment();
        try {
            events.record(
                    null,
                    "sync.slot.lost",
                    "alarm",
                    Map.of(
                            "slot",
                            channel.settings().slotName(),
                            "class",
                            channel.priorityClass(),
                            "tables",
                            channel.settings().tables()));
        } catch (RuntimeException e) {
            LOG.errorf("sync: the slot-lost event could not be recorded: %s", e.getMessage());
        }
    }

    /** @return false when interrupted (stop guarding) */
    private boolean restartFromSnapshot(SyncChannel channel) {
        channel.stop();
        try {
            DebeziumChangeCapture.resetSlot(
                    dataSource,
                    channel.settings().slotName(),
                    channel.settings().name());
        } catch (SQLException e) {
            LOG.errorf(
                    "sync disk guard could not reset slot %s: %s",
                    channel.settings().slotName(), e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
        channel.start();
        return true;
    }
}
