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
 * @param lsn the PostgreSQL log sequence number of the change; strictly increasing per row key, which is what
 *     makes the cloud applier's "skip at or below the last applied LSN" rule correct
 * @param commitTime when the source transaction committed; never null
 * @param key the primary key as canonical JSON (columns in key order), e.g. {@code {"id":42}}; never null
 * @param after the row after the change, column name to value; null for {@link Op#DELETE}
 */
public record ChangeEvent(
        String siteId, String table, Op op, long lsn, Instant commitTime, String key, Map<String, Object> after) {

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
