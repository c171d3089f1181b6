package dev.mecgw.sync.cdc;

import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.source.SourceRecord;

/**
 * Follows Debezium's transaction metadata ({@code provide.transaction.metadata}) through one capture's stream, so that
 * the capture knows whether it is inside a transaction it has not received completely (issue 14.7, docs/sync.md
 * "Priority lanes"). Debezium's queue hands one transaction over in several batches when decoding is slower than the
 * poll; the END marker follows the transaction's last change in the stream, so "between a change and its END" is
 * exact, not a guess from timing. A transaction opens with its first change, not with its BEGIN: PostgreSQL 14 (the
 * embedded database) streams BEGIN and END of every transaction of the database, also of those with no change of the
 * captured tables (readings, the capture's own offset writes), and a gate that closed from BEGIN would flicker with the
 * site's ingest. A change that carries a {@code transaction} block opens it also after a restart in the middle of a
 * transaction, which Debezium continues without a new BEGIN. Without transaction metadata nothing is ever open. Used
 * by the engine's polling thread only.
 */
final class TransactionBoundaries {

    /** Value schema of Debezium's BEGIN and END markers (its SchemaFactory; the unit tests build markers from it). */
    private static final String MARKER_SCHEMA = "io.debezium.connector.common.TransactionMetadataValue";

    private boolean open;

    /** Takes note of {@code record}: a change in a transaction opens it, a marker (its END, a next BEGIN) closes it. */
    void observe(SourceRecord record) {
        if (!(record.value() instanceof Struct value)) {
            return;
        }
        if (MARKER_SCHEMA.equals(value.schema().name())) {
            // PostgreSQL streams transactions one after the other, in commit order: any marker ends the open one
            open = false;
        } else if (value.schema().field("transaction") != null && value.getStruct("transaction") != null) {
            open = true;
        }
    }

    /** @return whether the last transaction seen has not ended yet (more of its changes are still to come) */
    boolean open() {
        return open;
    }
}
