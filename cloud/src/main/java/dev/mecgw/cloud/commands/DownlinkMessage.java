package dev.mecgw.cloud.commands;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;

/**
 * One message for {@code <siteId>.downlink} (CONTRACT sync 3) as stored in {@code cloud_commands}: the first send
 * and every resend build the same bytes from it.
 *
 * @param siteId the site whose topic carries it
 * @param id the message id
 * @param kind {@code command} or {@code desired}
 * @param deviceId the target device, also the Kafka key
 * @param name the command name; null for desired state
 * @param payload the command's arguments or the desired state
 * @param version the desired-state version; null for a command
 * @param expiresAt a command's expiry; null for desired state
 */
record DownlinkMessage(
        String siteId,
        String id,
        String kind,
        String deviceId,
        String name,
        JsonNode payload,
        Long version,
        Instant expiresAt) {

    private static final ObjectMapper JSON = new ObjectMapper();

    String topic() {
        return siteId + ".downlink";
    }

    /** @return the message as the contract writes it */
    byte[] bytes() {
        ObjectNode message =
                JSON.createObjectNode().put("id", id).put("kind", kind).put("deviceId", deviceId);
        if (name != null) {
            message.put("name", name);
        }
        if (version != null) {
            message.put("version", version);
        }
        message.set("payload", payload);
        if (expiresAt != null) {
            message.put("expiresAt", expiresAt.toString());
        }
        try {
            return JSON.writeValueAsBytes(message);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("A JSON tree always serializes", e);
        }
    }
}
