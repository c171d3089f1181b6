package dev.mecgw.sync.cdc;

/**
 * Tells the capture which source transactions were retention prunes at the site (docs/sync.md, "Retention vs
 * replication"): their deletes stay at the site, because the cloud keeps its own retention, while every other delete
 * (an operator's) is replicated. The pruning transaction records its own transaction id in a local marker table
 * before it deletes, so the answer is in the database, committed with the deletes, and survives restarts and replays
 * of the slot.
 */
@FunctionalInterface
public interface RetentionMarks {

    /** No transaction is a retention prune: every delete is replicated. */
    RetentionMarks NONE = txId -> false;

    /**
     * @param txId the PostgreSQL transaction id of a committed change, as Debezium's {@code source.txId} carries it
     *     (32 bits)
     * @return whether that transaction was a retention prune
     * @throws IllegalStateException when the answer cannot be read (the batch is retried, nothing is sent)
     */
    boolean isRetention(long txId);
}
