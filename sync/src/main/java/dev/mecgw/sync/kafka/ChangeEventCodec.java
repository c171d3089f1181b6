package dev.mecgw.sync.kafka;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mecgw.sync.cdc.ChangeEvent;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * The wire format shared by the edge and the cloud (docs/sync.md, "Wire format"): the Kafka key is the primary key
 * as canonical JSON, the value Debezium's JSON change-event envelope with schemas disabled, so that stock CDC
 * consumers read the topics:
 *
 * <pre>
 * {"before":null,"after":{...},"op":"u","ts_ms":..,"source":{"version","connector":"mecgw","name":site,"site","db",
 *  "schema","table","lsn","generation","ts_ms"}}
 * </pre>
 *
 * A delete carries the key columns in {@code before} and {@code after = null}. A consumer keeps, per key, the change
 * with the greatest {@code (source.generation, source.lsn)}; the topic's order alone does not guarantee it (a
 * resend after a failure can put an older version after a newer one). {@link #decode(byte[], byte[])} also reads
 * the flat format of earlier gateways ({@code {"site","table","op","lsn","commitTime","key","after"}}, generation 0).
 */
public final class ChangeEventCodec {

    /** {@code source.connector}. */
    public static final String CONNECTOR = "mecgw";
    /** {@code source.db}: the gateway's database, whatever its local name. */
    public static final String DB = "mecgw";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {};
    private static final String VERSION =
            Objects.requireNonNullElse(ChangeEventCodec.class.getPackage().getImplementationVersion(), "dev");

    private ChangeEventCodec() {}

    /**
     * @param event a change
     * @return the Kafka record value: the envelope as UTF-8 JSON
     */
    public static byte[] encode(ChangeEvent event) {
        // Streamed field by field: this runs once per replicated row, on the capture's critical path while a
        // backlog drains, so it avoids building an intermediate map.
        ByteArrayOutputStream out = new ByteArrayOutputStream(384);
        int dot = event.table().indexOf('.');
        long commitMillis = event.commitTime().toEpochMilli();
        try (JsonGenerator json = JSON.createGenerator(out)) {
            json.writeStartObject();
            json.writeFieldName("before");
            if (event.op() == ChangeEvent.Op.DELETE) {
                // the key is canonical JSON object text already
                json.writeRawValue(event.key());
            } else {
                json.writeNull();
            }
            json.writeFieldName("after");
            JSON.writeValue(json, event.after());
            json.writeStringField("op", event.op().code());
            json.writeNumberField("ts_ms", commitMillis);
            json.writeObjectFieldStart("source");
            json.writeStringField("version", VERSION);
            json.writeStringField("connector", CONNECTOR);
            json.writeStringField("name", event.siteId());
            json.writeStringField("site", event.siteId());
            json.writeStringField("db", DB);
            json.writeStringField("schema", event.table().substring(0, dot));
            json.writeStringField("table", event.table().substring(dot + 1));
            json.writeNumberField("lsn", event.lsn());
            json.writeNumberField("generation", event.generation());
            json.writeNumberField("ts_ms", commitMillis);
            json.writeEndObject();
            json.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException("change of " + event.table() + " cannot be written as JSON", e);
        }
        return out.toByteArray();
    }

    /**
     * @param value a Kafka record value in the flat format (the envelope needs the record key)
     * @return the change
     * @throws IllegalArgumentException when the value is not such a record
     */
    public static ChangeEvent decode(byte[] value) {
        return decode(null, value);
    }

    /**
     * @param key the Kafka record key (canonical JSON of the primary key); may be null for the flat format, which
     *     carries the key, and for an envelope of a delete, whose {@code before} holds it
     * @param value a Kafka record value, envelope or flat format; not null (consumers skip tombstones)
     * @return the change; generation 0 when the producer did not set it
     * @throws IllegalArgumentException when the value is neither format
     */
    public static ChangeEvent decode(byte[] key, byte[] value) {
        try {
            Map<String, Object> map = JSON.readValue(value, MAP);
            return map.get("source") instanceof Map<?, ?> source ? envelope(key, map, source) : flat(map);
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("not a mecgw change record: " + e.getMessage(), e);
        }
    }

    @SuppressWarnings("unchecked")
    private static ChangeEvent envelope(byte[] key, Map<String, Object> map, Map<?, ?> source) throws IOException {
        Map<String, Object> before = (Map<String, Object>) map.get("before");
        String keyJson = key != null
                ? new String(key, StandardCharsets.UTF_8)
                : JSON.writeValueAsString(Objects.requireNonNull(before, "record key"));
        Object generation = source.get("generation");
        Object site = source.get("site") != null ? source.get("site") : source.get("name");
        return new ChangeEvent(
                (String) site,
                source.get("schema") + "." + source.get("table"),
                ChangeEvent.Op.fromCode((String) map.get("op")),
                generation == null ? 0L : ((Number) generation).longValue(),
                ((Number) source.get("lsn")).longValue(),
                Instant.ofEpochMilli(((Number) source.get("ts_ms")).longValue()),
                keyJson,
                (Map<String, Object>) map.get("after"));
    }

    @SuppressWarnings("unchecked")
    private static ChangeEvent flat(Map<String, Object> map) {
        return new ChangeEvent(
                (String) map.get("site"),
                (String) map.get("table"),
                ChangeEvent.Op.fromCode((String) map.get("op")),
                ((Number) map.get("lsn")).longValue(),
                Instant.parse((String) map.get("commitTime")),
                (String) map.get("key"),
                (Map<String, Object>) map.get("after"));
    }

    /**
     * @param row a row as column name to value
     * @return the row as JSON text
     */
    public static String rowJson(Map<String, Object> row) {
        try {
            return JSON.writeValueAsString(row);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** @return the Kafka key bytes of a change */
    public static byte[] key(ChangeEvent event) {
        return event.key().getBytes(StandardCharsets.UTF_8);
    }

    /**
     * @param siteId the site id
     * @param table the qualified table
     * @return the topic that carries the table's changes: {@code <site>.<schema>.<table>}
     */
    public static String topic(String siteId, String table) {
        return siteId + "." + table;
    }
}
