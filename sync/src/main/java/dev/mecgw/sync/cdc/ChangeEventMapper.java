package dev.mecgw.sync.cdc;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.source.SourceRecord;

/**
 * Turns a Debezium PostgreSQL {@link SourceRecord} into a {@link ChangeEvent}. Records that are no row change
 * (heartbeats, truncates), and deletes made by a retention prune at the site ({@link RetentionMarks}: the cloud keeps
 * its own retention), map to empty, and are still marked processed by the caller so the slot advances.
 */
final class ChangeEventMapper {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final String siteId;
    private final long generation;
    private final RetentionMarks retention;

    ChangeEventMapper(String siteId, long generation) {
        this(siteId, generation, RetentionMarks.NONE);
    }

    ChangeEventMapper(String siteId, long generation, RetentionMarks retention) {
        this.siteId = siteId;
        this.generation = generation;
        this.retention = retention;
    }

    Optional<ChangeEvent> map(SourceRecord record) {
        if (!(record.value() instanceof Struct envelope)
                || envelope.schema().field("op") == null
                || !(record.key() instanceof Struct key)) {
            return Optional.empty();
        }
        String opCode = envelope.getString("op");
        if ("t".equals(opCode) || "m".equals(opCode)) {
            return Optional.empty();
        }
        Struct source = envelope.getStruct("source");
        if ("d".equals(opCode) && isRetention(source)) {
            return Optional.empty();
        }
        String table = source.getString("schema") + "." + source.getString("table");
        Struct after = envelope.getStruct("after");
        return Optional.of(new ChangeEvent(
                siteId,
                table,
                ChangeEvent.Op.fromCode(opCode),
                generation,
                source.getInt64("lsn"),
                Instant.ofEpochMilli(source.getInt64("ts_ms")),
                keyJson(key),
                after == null ? null : toMap(after)));
    }

    private boolean isRetention(Struct source) {
        if (source.schema().field("txId") == null) {
            return false;
        }
        Long txId = source.getInt64("txId");
        return txId != null && retention.isRetention(txId);
    }

    static String keyJson(Struct key) {
        try {
            return JSON.writeValueAsString(toMap(key));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("primary key cannot be written as JSON", e);
        }
    }

    static Map<String, Object> toMap(Struct struct) {
        Map<String, Object> row = new LinkedHashMap<>();
        for (Field field : struct.schema().fields()) {
            row.put(field.name(), plain(field.schema(), struct.get(field)));
        }
        return row;
    }

    private static Object plain(Schema schema, Object value) {
        if (value == null) {
            return null;
        }
        if (value instanceof Struct nested) {
            return toMap(nested);
        }
        if (value instanceof ByteBuffer buffer) {
            byte[] bytes = new byte[buffer.remaining()];
            buffer.duplicate().get(bytes);
            return Base64.getEncoder().encodeToString(bytes);
        }
        if (value instanceof byte[] bytes) {
            return Base64.getEncoder().encodeToString(bytes);
        }
        return temporal(schema.name(), value);
    }

    // Debezium encodes temporal columns as epoch numbers named by the schema; the cloud wants ISO-8601 text.
    private static Object temporal(String logicalName, Object value) {
        if (logicalName == null) {
            return value;
        }
        switch (logicalName) {
            case "io.debezium.time.Timestamp":
                return Instant.ofEpochMilli((Long) value).toString();
            case "io.debezium.time.MicroTimestamp":
                long micros = (Long) value;
                return Instant.ofEpochSecond(
                                Math.floorDiv(micros, 1_000_000L), Math.floorMod(micros, 1_000_000L) * 1_000L)
                        .toString();
            case "io.debezium.time.Date":
                return LocalDate.ofEpochDay((Integer) value).toString();
            default:
                return value;
        }
    }
}
