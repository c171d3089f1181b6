package dev.mecgw.cloud.fleet;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;

/**
 * A device of a site as last replicated.
 *
 * @param id device id
 * @param type device type
 * @param labels labels as a JSON object
 * @param online whether the device is connected to its gateway
 * @param lastSeen when the gateway last heard from it; may be null
 * @param updatedAt last registry change at the edge; may be null
 */
public record DeviceView(
        String id, String type, JsonNode labels, Boolean online, Instant lastSeen, Instant updatedAt) {}
