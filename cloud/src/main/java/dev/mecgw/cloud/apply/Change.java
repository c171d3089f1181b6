package dev.mecgw.cloud.apply;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.Objects;

/**
 * One row change of one site, decoded from either wire format (CONTRACT sync 1).
 *
 * @param siteId the site; never null
 * @param table the qualified edge table, {@code schema.table}; never null
 * @param delete whether the edge deleted the row
 * @param generation the edge database generation, 0 when the producer does not send one
 * @param lsn the change's log sequence number within its generation
 * @param commitTime when the edge transaction committed; never null
 * @param key the primary key as a JSON object (the Kafka key); never null
 * @param row the row after the change, or for a delete at least its key columns; never null
 */
public record Change(
        String siteId,
        String table,
        boolean delete,
        long generation,
        long lsn,
        Instant commitTime,
        ObjectNode key,
        ObjectNode row) {

    public Change {
        Objects.requireNonNull(siteId, "siteId");
        Objects.requireNonNull(table, "table");
        Objects.requireNonNull(commitTime, "commitTime");
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(row, "row");
    }
}
