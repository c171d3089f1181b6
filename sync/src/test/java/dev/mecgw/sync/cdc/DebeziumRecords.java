package dev.mecgw.sync.cdc;

import io.debezium.schema.SchemaFactory;
import io.debezium.schema.SchemaNameAdjuster;
import java.util.Map;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.source.SourceRecord;

/** Builds records shaped like the Debezium PostgreSQL connector's, for unit tests. */
final class DebeziumRecords {

    static final Schema KEY = SchemaBuilder.struct()
            .name("site.public.t.Key")
            .field("id", Schema.INT64_SCHEMA)
            .build();
    static final Schema ROW = SchemaBuilder.struct()
            .name("site.public.t.Value")
            .field("id", Schema.INT64_SCHEMA)
            .field("supi", Schema.OPTIONAL_STRING_SCHEMA)
            .field(
                    "at",
                    SchemaBuilder.int64()
                            .name("io.debezium.time.MicroTimestamp")
                            .optional()
                            .build())
            .build();
    static final Schema SOURCE = SchemaBuilder.struct()
            .name("io.debezium.connector.postgresql.Source")
            .field("schema", Schema.STRING_SCHEMA)
            .field("table", Schema.STRING_SCHEMA)
            .field("lsn", Schema.OPTIONAL_INT64_SCHEMA)
            .field("txId", Schema.OPTIONAL_INT64_SCHEMA)
            .field("ts_ms", Schema.INT64_SCHEMA)
            .build();
    static final Schema ENVELOPE = SchemaBuilder.struct()
            .name("site.public.t.Envelope")
            .field(
                    "before",
                    SchemaBuilder.struct()
                            .name("before")
                            .field("id", Schema.INT64_SCHEMA)
                            .optional()
                            .build())
            .field(
                    "after",
                    SchemaBuilder.struct()
                            .name("after")
                            .field("id", Schema.INT64_SCHEMA)
                            .field("supi", Schema.OPTIONAL_STRING_SCHEMA)
                            .field(
                                    "at",
                                    SchemaBuilder.int64()
                                            .name("io.debezium.time.MicroTimestamp")
                                            .optional()
                                            .build())
                            .optional()
                            .build())
            .field("source", SOURCE)
            .field("op", Schema.STRING_SCHEMA)
            .build();

    private DebeziumRecords() {}

    static SourceRecord change(String op, long id, long lsn) {
        return change(op, id, lsn, lsn / 100);
    }

    static SourceRecord change(String op, long id, long lsn, long txId) {
        Struct key = new Struct(KEY).put("id", id);
        Struct source = new Struct(SOURCE)
                .put("schema", "public")
                .put("table", "t")
                .put("lsn", lsn)
                .put("txId", txId)
                .put("ts_ms", 1_700_000_000_000L);
        Struct value = new Struct(ENVELOPE).put("source", source).put("op", op);
        if (!"d".equals(op)) {
            value.put(
                    "after",
                    new Struct(ENVELOPE.field("after").schema())
                            .put("id", id)
                            .put("supi", "imsi-001010000000001")
                            .put("at", 1_700_000_000_123_456L));
        }
        return new SourceRecord(
                Map.of("server", "site"), Map.of("lsn", lsn), "site.public.t", KEY, key, ENVELOPE, value);
    }

    /**
     * A BEGIN or END marker of Debezium's transaction metadata ({@code provide.transaction.metadata}), built on
     * Debezium's own schemas, as the connector writes it to its {@code <prefix>.transaction} topic.
     *
     * @param status {@code BEGIN} or {@code END}
     * @param id the transaction id ({@code txId:lsn} for PostgreSQL)
     * @param eventCount the transaction's changes; only on END
     */
    static SourceRecord transactionMarker(String status, String id, long lsn, Long eventCount) {
        Schema keySchema = SchemaFactory.get().transactionKeySchema(SchemaNameAdjuster.NO_OP);
        Schema schema = SchemaFactory.get().transactionValueSchema(SchemaNameAdjuster.NO_OP);
        return new SourceRecord(
                Map.of("server", "site"),
                Map.of("lsn", lsn),
                "site.transaction",
                keySchema,
                new Struct(keySchema).put("id", id),
                schema,
                new Struct(schema)
                        .put("status", status)
                        .put("id", id)
                        .put("event_count", eventCount)
                        .put("ts_ms", 1_700_000_000_000L));
    }

    /** A change of a transaction, enriched as with transaction metadata: its envelope has a {@code transaction} block. */
    static SourceRecord changeInTransaction(long id, long lsn, String transactionId) {
        Schema block = SchemaFactory.get().transactionBlockSchema();
        Schema envelope = SchemaBuilder.struct()
                .name("site.public.t.Envelope")
                .field("after", ENVELOPE.field("after").schema())
                .field("source", SOURCE)
                .field("op", Schema.STRING_SCHEMA)
                .field("transaction", block)
                .build();
        SourceRecord plain = change("c", id, lsn);
        Struct value = new Struct(envelope)
                .put("after", ((Struct) plain.value()).getStruct("after"))
                .put("source", ((Struct) plain.value()).getStruct("source"))
                .put("op", "c")
                .put(
                        "transaction",
                        new Struct(block)
                                .put("id", transactionId)
                                .put("total_order", 1L)
                                .put("data_collection_order", 1L));
        return new SourceRecord(
                plain.sourcePartition(), plain.sourceOffset(), plain.topic(), KEY, plain.key(), envelope, value);
    }

    /**
     * A logical decoding message ({@code pg_logical_emit_message}) as Debezium's PostgreSQL connector writes it to its
     * {@code <prefix>.message} topic: {@code op = m}, a {@code message} block with prefix and content.
     */
    static SourceRecord logicalMessage(String prefix, long lsn) {
        Schema block = SchemaBuilder.struct()
                .name("io.debezium.connector.postgresql.Message")
                .field("prefix", Schema.OPTIONAL_STRING_SCHEMA)
                .field("content", Schema.OPTIONAL_BYTES_SCHEMA)
                .build();
        Schema schema = SchemaBuilder.struct()
                .name("io.debezium.connector.postgresql.MessageValue")
                .field("op", Schema.STRING_SCHEMA)
                .field("ts_ms", Schema.OPTIONAL_INT64_SCHEMA)
                .field("source", SOURCE)
                .field("message", block)
                .build();
        Struct source = new Struct(SOURCE)
                .put("schema", "")
                .put("table", "")
                .put("lsn", lsn)
                .put("txId", lsn / 100)
                .put("ts_ms", 1_700_000_000_000L);
        Struct value = new Struct(schema)
                .put("op", "m")
                .put("ts_ms", 1_700_000_000_000L)
                .put("source", source)
                .put("message", new Struct(block).put("prefix", prefix).put("content", new byte[0]));
        return new SourceRecord(
                Map.of("server", "site"), Map.of("lsn", lsn), "site.message", null, null, schema, value);
    }

    static SourceRecord heartbeat() {
        Schema schema = SchemaBuilder.struct()
                .name("io.debezium.connector.common.Heartbeat")
                .field("ts_ms", Schema.INT64_SCHEMA)
                .build();
        Schema keySchema =
                SchemaBuilder.struct().field("serverName", Schema.STRING_SCHEMA).build();
        return new SourceRecord(
                Map.of("server", "site"),
                Map.of("lsn", 1L),
                "__debezium-heartbeat.site",
                keySchema,
                new Struct(keySchema).put("serverName", "site"),
                schema,
                new Struct(schema).put("ts_ms", 1L));
    }
}
