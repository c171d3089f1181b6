package dev.mecgw.cloud.fleet;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;

/**
 * An event a site raised.
 *
 * @param id the edge's event id, unique per site
 * @param ts when it happened
 * @param deviceId the device concerned; may be null
 * @param kind event kind
 * @param severity severity
 * @param payload details as JSON
 */
public record EventView(long id, Instant ts, String deviceId, String kind, String severity, JsonNode payload) {}
