package dev.mecgw.cloud.apply;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.time.DateTimeException;
import java.time.Instant;
import java.util.Iterator;
import java.util.Map;

/**
 * Reads a change record in either wire format of CONTRACT sync 1: Debezium's JSON change-event envelope (schemas
 * disabled) or the gateway's earlier flat format {@code {"site","table","op","lsn","commitTime","key","after"}}, so
 * that gateways of both releases feed one cloud. Stateless and thread-safe.
 */
final class ChangeReader {

    private static final ObjectMapper JSON = new ObjectMapper();

    private ChangeReader() {}

    /**
     * @param topic the record's topic, {@code <site>.<schema>.<table>}: the fallback for site and table
     * @param key the record key, the primary key as JSON; may be null for the flat format
     * @param value the record value; null for a compaction tombstone
     * @return the change, or null for a tombstone (consumers ignore those)
     * @throws IllegalArgumentException when the value is neither format
     */
    static Change read(String topic, byte[] key, byte[] value) {
        if (value == null) {
            return null;
        }
        try {
            JsonNode root = JSON.readTree(value);
            if (root == null || !root.isObject()) {
                throw new IllegalArgumentException("not a JSON object");
            }
            return root.has("source") ? envelope(topic, key, root) : flat(topic, key, root);
        } catch (IOException | DateTimeException e) {
            throw new IllegalArgumentException("malformed change record: " + e.getMessage(), e);
        }
    }

    private static Change envelope(String topic, byte[] key, JsonNode root) throws IOException {
        JsonNode source = root.get("source");
        String op = text(root, "op");
        boolean delete = "d".equals(op);
        JsonNode row = delete ? root.get("before") : root.get("after");
        String site = firstText(source, "site", "name");
        String table = source.hasNonNull("schema") && source.hasNonNull("table")
                ? source.get("schema").asText() + "." + source.get("table").asText()
                : null;
        long commitMs = source.hasNonNull("ts_ms")
                ? source.get("ts_ms").asLong()
                : required(root, "ts_ms").asLong();
        return change(
                topic,
                site,
                table,
                op,
                source.path("generation").asLong(0),
                required(source, "lsn").asLong(),
                Instant.ofEpochMilli(commitMs),
                keyObject(key, null),
                row);
    }

    private static Change flat(String topic, byte[] key, JsonNode root) throws IOException {
        String op = text(root, "op");
        Instant commit = Instant.parse(required(root, "commitTime").asText());
        ObjectNode keyObject =
                keyObject(key, root.hasNonNull("key") ? root.get("key").asText() : null);
        return change(
                topic,
                text(root, "site"),
                text(root, "table"),
                op,
                root.path("generation").asLong(0),
                required(root, "lsn").asLong(),
                commit,
                keyObject,
                root.get("after"));
    }

    private static Change change(
            String topic,
            String site,
            String table,
            String op,
            long generation,
            long lsn,
            Instant commit,
            ObjectNode key,
            JsonNode row) {
        if (op == null || !"rcud".contains(op) || op.length() != 1) {
            throw new IllegalArgumentException("unsupported op: " + op);
        }
        boolean delete = "d".equals(op);
        String[] parts = topic.split("\\.", 2);
        String siteId = site != null ? site : parts[0];
        String qualified = table != null ? table : (parts.length > 1 ? parts[1] : null);
        if (qualified == null || !qualified.contains(".")) {
            throw new IllegalArgumentException("no schema.table in the record or its topic " + topic);
        }
        ObjectNode values = row != null && row.isObject() ? ((ObjectNode) row).deepCopy() : null;
        if (values == null) {
            if (!delete) {
                throw new IllegalArgumentException("a " + op + " change without its row");
            }
            values = JsonNodeFactory.instance.objectNode();
        }
        // Key columns come with every delete through the key even when "before" is absent or partial.
        if (delete) {
            for (Iterator<Map.Entry<String, JsonNode>> it = key.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> column = it.next();
                if (!values.has(column.getKey())) {
                    values.set(column.getKey(), column.getValue());
                }
            }
        }
        return new Change(siteId, qualified, delete, generation, lsn, commit, key, values);
    }

    private static ObjectNode keyObject(byte[] recordKey, String fallback) throws IOException {
        JsonNode key = recordKey != null ? JSON.readTree(recordKey) : null;
        if ((key == null || !key.isObject()) && fallback != null) {
            key = JSON.readTree(fallback);
        }
        if (key == null || !key.isObject()) {
            throw new IllegalArgumentException("no primary key object in the record key");
        }
        return (ObjectNode) key;
    }

    private static JsonNode required(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            throw new IllegalArgumentException("missing " + field);
        }
        return value;
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? null : value.asText();
    }

    private static String firstText(JsonNode node, String first, String second) {
        String value = text(node, first);
        return value != null ? value : text(node, second);
    }
}
