package dev.mecgw.cloud.apply;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;

/** Reads a heartbeat of CONTRACT sync 2. Stateless and thread-safe. */
final class HeartbeatReader {

    /** The heartbeat topic. */
    static final String TOPIC = "mecgw.heartbeats";

    private static final ObjectMapper JSON = new ObjectMapper();

    private HeartbeatReader() {}

    /**
     * @param key the record key, the site id; used when the value names none
     * @param value the record value
     * @return the heartbeat, or null for a null value
     * @throws IllegalArgumentException when the value is not a heartbeat
     */
    static Heartbeat read(String key, byte[] value) {
        if (value == null) {
            return null;
        }
        try {
            JsonNode root = JSON.readTree(value);
            String site = root.hasNonNull("siteId") ? root.get("siteId").asText() : key;
            if (site == null || site.isBlank() || !root.hasNonNull("sentAt")) {
                throw new IllegalArgumentException("a heartbeat needs siteId and sentAt");
            }
            return new Heartbeat(
                    site,
                    Instant.parse(root.get("sentAt").asText()),
                    text(root, "gatewayVersion"),
                    text(root, "health"),
                    root.hasNonNull("backlogRows") ? root.get("backlogRows").asLong() : null,
                    root.hasNonNull("lagSeconds") ? root.get("lagSeconds").asDouble() : null,
                    root.hasNonNull("devicesOnline") ? root.get("devicesOnline").asInt() : null,
                    root.hasNonNull("devicesTotal") ? root.get("devicesTotal").asInt() : null,
                    root.path("models").isObject() ? root.get("models").toString() : "{}");
        } catch (IOException | DateTimeParseException e) {
            throw new IllegalArgumentException("not a heartbeat: " + e.getMessage(), e);
        }
    }

    private static String text(JsonNode node, String field) {
        return node.hasNonNull(field) ? node.get(field).asText() : null;
    }
}
