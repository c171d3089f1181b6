package dev.mecgw.sync.cdc;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * One captured row change, as it travels from the edge to the cloud.
 *
 * @param siteId the site that produced the change ({@code mecgw.site-id}); never null
 * @param table the qualified source table, {@code schema.table}; never null
 * @param op the operation
 * @param generation the edge database's generation ({@link PostgresGeneration}): greater
 *     for a newer database (restored from a dump, re-imaged, replaced appliance), 0 when unknown (old producers)
 * @param lsn the PostgreSQL log sequence number of the change; strictly increasing per row key within one
 *     generation, which is what makes the cloud's rule "apply iff (generation, lsn) is greater than the stored pair"
 *     correct (docs/sync.md, "Ordering")
 * @param commitTime when the source transaction committed; never null
 * @param key the primary key as canonical JSON (columns in key order), e.g. {@code {"id":42}}; never null
 * @param after the row after the change, column name to value; null for {@link Op#DELETE}
 */
public record ChangeEvent(
        String siteId,
        String table,
        Op op,
        long generation,
        long lsn,
        Instant commitTime,
        String key,
        Map<String, Object> after) {

    /** A change of generation 0, as old producers sent it. */
    public ChangeEvent(
            String siteId, String table, Op op, long lsn, Instant commitTime, String key, Map<String, Object> after) {
        this(siteId, table, op, 0L, lsn, commitTime, key, after);
    }

    /**
     * @param row the row to carry instead
     * @return this change with another {@code after} row (masking, filtering), everything else kept
     */
    public ChangeEvent withAfter(Map<String, Object> row) {
        return new ChangeEvent(siteId, table, op, generation, lsn, commitTime, key, row);
    }

    /**
     * @param other another change of the same row
     * @return whether this change is newer than {@code other} by the ordering rule: {@code (generation, lsn)}
     *     compared lexicographically
     */
    public boolean isNewerThan(ChangeEvent other) {
        return generation != other.generation ? generation > other.generation : lsn > other.lsn;
    }

    /** The kind of change. */
    public enum Op {
        /** A row read by the initial snapshot. */
        SNAPSHOT("r"),
        /** An insert. */
        CREATE("c"),
        /** An update. */
        UPDATE("u"),
        /** A delete; {@link ChangeEvent#after()} is null. */
        DELETE("d");

        private final String code;

        Op(String code) {
            this.code = code;
        }

        /** @return the one-letter Debezium code ({@code r}, {@code c}, {@code u}, {@code d}) */
        public String code() {
            return code;
        }

        /**
         * @param code a one-letter Debezium operation code
         * @return the matching operation
         * @throws IllegalArgumentException for an unknown code (truncate and messages are not replicated)
         */
        public static Op fromCode(String code) {
            for (Op op : values()) {
                if (op.code.equals(code)) {
                    return op;
                }
            }
            throw new IllegalArgumentException("unsupported change operation: " + code);
        }
    }

    public ChangeEvent {
        Objects.requireNonNull(siteId, "siteId");
        Objects.requireNonNull(table, "table");
        Objects.requireNonNull(op, "op");
        Objects.requireNonNull(commitTime, "commitTime");
        Objects.requireNonNull(key, "key");
    }
}
