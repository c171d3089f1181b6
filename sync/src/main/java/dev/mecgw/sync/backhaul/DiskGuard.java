package dev.mecgw.sync.backhaul;

/**
 * The disk policy for replication slots while the backhaul is down (documented in the README, "Sync: disk guard"):
 * <ol>
 * <li>below the alarm threshold: nothing;</li>
 * <li>at or above it: raise the alarm (metric {@code mecgw_sync_disk_alarm}, health data), keep everything;</li>
 * <li>a <em>bulk</em> slot at or above its cap: reset it (the bulk tables are snapshotted again on the next start, so
 * the cloud still gets their current content, only intermediate versions are lost);</li>
 * <li>a <em>critical</em> slot (events, twins, devices) is never reset by the gateway for its size; PostgreSQL's
 * {@code max_slot_wal_keep_size}, when set, is the last resort;</li>
 * <li>any slot that PostgreSQL invalidated ({@code wal_status = 'lost'}, past {@code max_slot_wal_keep_size}) can never
 * stream again: recover it (issue 14.3): drop it, create it again and snapshot its tables, so that the cloud gets
 * their current content; the ordering rule makes the re-sent rows harmless.</li>
 * </ol>
 */
public final class DiskGuard {

    /** What to do about one slot. */
    public enum Decision {
        /** Backlog is fine. */
        OK,
        /** Backlog passed the alarm threshold or PostgreSQL reports WAL at risk. */
        ALARM,
        /** A bulk slot passed its cap: drop it and start over with a snapshot. */
        RESET,
        /** PostgreSQL invalidated the slot (critical or bulk): raise a critical event, drop it, start over. */
        RECOVER
    }

    private final long alarmBytes;
    private final long bulkCapBytes;

    /**
     * @param alarmBytes backlog at which the alarm is raised
     * @param bulkCapBytes backlog at which a bulk slot is reset; must be at least {@code alarmBytes}
     */
    DiskGuard(long alarmBytes, long bulkCapBytes) {
        if (bulkCapBytes < alarmBytes) {
            throw new IllegalArgumentException("the bulk cap must not be below the alarm threshold");
        }
        this.alarmBytes = alarmBytes;
        this.bulkCapBytes = bulkCapBytes;
    }

    /**
     * @param backlog the slot's backlog
     * @param bulk whether the slot carries only bulk tables
     * @return the decision
     */
    public Decision decide(SlotBacklog backlog, boolean bulk) {
        if (backlog.lost()) {
            return Decision.RECOVER;
        }
        if (bulk && backlog.bytes() >= bulkCapBytes) {
            return Decision.RESET;
        }
        boolean walAtRisk = "unreserved".equals(backlog.walStatus());
        return backlog.bytes() >= alarmBytes || walAtRisk ? Decision.ALARM : Decision.OK;
    }
}
