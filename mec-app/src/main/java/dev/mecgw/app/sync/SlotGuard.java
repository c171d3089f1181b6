package dev.mecgw.app.sync;

import dev.mecgw.sync.backhaul.DiskGuard;
import dev.mecgw.sync.backhaul.SlotBacklog;
import java.util.List;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * One round of the disk guard over the captures (see {@link DiskGuard} and README "Sync: disk guard"): recovers a
 * slot PostgreSQL invalidated and resets a bulk slot past its cap, so that its tables are snapshotted again instead
 * of the disk filling.
 */
final class SlotGuard {

    private static final Logger LOG = Logger.getLogger(SlotGuard.class);

    private final DiskGuard guard;
    private final SlotRecovery recovery;
    private final long capBytes;

    SlotGuard(DiskGuard guard, SlotRecovery recovery, long capBytes) {
        this.guard = guard;
        this.recovery = recovery;
        this.capBytes = capBytes;
    }

    /** Checks each capture's slot in order; stops at an interrupt. */
    void check(List<SyncChannel> channels) {
        for (SyncChannel channel : channels) {
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
            if (!recovery.recover(channel, decision)) {
                return;
            }
        }
    }
}
