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

/**
 * The wire format shared by the edge and the cloud applier: the Kafka key is the primary key as canonical JSON,
 * the value a JSON object {@code {"site","table","op","lsn","commitTime","key","after"}}.
 */
public final class ChangeEventCodec {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {};

    private ChangeEventCodec() {}

    /**
     * @param event a change
     * @return the Kafka record value as UTF-8 JSON
     */
    public static byte[] encode(ChangeEvent event) {
        // Streamed field by field: this runs once per replicated row, on the capture's critical path while a
        // backlog drains, so it avoids building an intermediate map.
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        try (JsonGenerator json = JSON.createGenerator(out)) {
            json.writeStartObject();
            json.writeStringField("site", event.siteId());
            json.writeStringField("table", event.table());
            json.writeStringField("op", event.op().code());
            json.writeNumberField("lsn", event.lsn());
            json.writeStringField("commitTime", event.commitTime().toString());
            json.writeStringField("key", event.key());
            json.writeFieldName("after");
            JSON.writeValue(json, event.after());
            json.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException("change of " + event.table() + " cannot be written as JSON", e);
        }
        return out.toByteArray();
    }

    /**
     * @param value a Kafka record value written by {@link #encode}
     * @return the change
     * @throws IllegalArgumentException when the value is not such a record
     */
    public static ChangeEvent decode(byte[] value) {
        try {
            Map<String, Object> map = JSON.readValue(value, MAP);
            @SuppressWarnings("unchecked")
            Map<String, Object> after = (Map<String, Object>) map.get("after");
            return new ChangeEvent(
                    (String) map.get("site"),
                    (String) map.get("table"),
                    ChangeEvent.Op.fromCode((String) map.get("op")),
                    ((Number) map.get("lsn")).longValue(),
                    Instant.parse((String) map.get("commitTime")),
                    (String) map.get("key"),
                    after);
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("not a mecgw change record: " + e.getMessage(), e);
        }
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
    static byte[] key(ChangeEvent event) {
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
