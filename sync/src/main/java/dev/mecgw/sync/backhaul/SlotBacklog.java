package dev.mecgw.sync.backhaul;

import java.util.Optional;

/**
 * What the replication slot holds back because the cloud has not acknowledged it yet.
 *
 * @param bytes WAL bytes retained for the slot (current WAL position minus confirmed flush position)
 * @param active whether a capture engine is attached to the slot
 * @param walStatus PostgreSQL's {@code wal_status}: {@code reserved}, {@code extended}, {@code unreserved} (about to
 *     lose WAL at {@code max_slot_wal_keep_size}) or {@code lost}
 * @param safeBytes bytes that can still be written before the slot loses WAL, when a cap is set
 */
public record SlotBacklog(long bytes, boolean active, String walStatus, Optional<Long> safeBytes) {

    /** @return whether PostgreSQL invalidated the slot: it has lost WAL it needed and can never stream again */
    public boolean lost() {
        return "lost".equals(walStatus);
    }
}
