package dev.mecgw.app.twin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mecgw.app.problem.GatewayException;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import javax.sql.DataSource;

/** Device twins (desired and reported documents) in the local store. Blocking; call from workers. */
public interface TwinStore {

    /**
     * Replaces the desired document and bumps its version.
     *
     * @return the new desired version
     * @throws dev.mecgw.app.problem.GatewayException NOT_FOUND for an unknown device
     */
    long setDesired(String deviceId, JsonNode desired);

    /**
     * Replaces the desired documents of many devices in one transaction (a rollout step over a fleet, issue 18): one
     * commit instead of one per device. Devices that are not registered are skipped.
     *
     * @param desired the new document per device id
     * @return the new desired version per device id that was written, in the order given
     */
    default Map<String, Long> setDesiredAll(Map<String, ? extends JsonNode> desired) {
        Map<String, Long> versions = new LinkedHashMap<>();
        desired.forEach((deviceId, document) -> {
            if (desired(deviceId).isPresent()) {
                versions.put(deviceId, setDesired(deviceId, document));
            }
        });
        return versions;
    }

    /**
     * Merges a reported JSON object sent by the device (MQTT or CoAP) into the stored one: top-level keys
     * replace, others stay, so devices can report partial state. Bumps the reported version.
     *
     * @return the new reported version
     * @throws dev.mecgw.app.problem.GatewayException BAD_REQUEST when the payload is not a JSON object,
     *     NOT_FOUND for an unknown device
     */
    long report(String deviceId, byte[] reportedJson);

    /** The current desired document and version, empty for an unknown device. */
    Optional<DesiredTwin> desired(String deviceId);

    /** The current desired documents of the devices that are registered, by device id, read in one go. */
    default Map<String, DesiredTwin> desiredAll(Collection<String> deviceIds) {
        Map<String, DesiredTwin> found = new LinkedHashMap<>();
        deviceIds.forEach(id -> desired(id).ifPresent(twin -> found.put(id, twin)));
        return found;
    }

    /**
     * The reported documents of the devices that are registered, with their versions, by device id, read in one query
     * (a rollout tick over a fleet reads every moving device's report).
     */
    default Map<String, ReportedTwin> reportedAll(Collection<String> deviceIds) {
        Map<String, ReportedTwin> found = new LinkedHashMap<>();
        deviceIds.forEach(id -> {
            try {
                JsonNode twin = get(id);
                found.put(id, new ReportedTwin(twin.path("reportedVersion").asLong(), twin.path("reported")));
            } catch (GatewayException e) {
                // not registered (any more): left out, as documented
            }
        });
        return found;
    }

    /** The twin as {@code {"desired":..,"desiredVersion":..,"reported":..,"reportedVersion":..}}. */
    JsonNode get(String deviceId);

    /** Twins in the gateway's PostgreSQL, replicated to the cloud like every device table. */
    static TwinStore postgres(DataSource dataSource, ObjectMapper json) {
        return new PostgresTwinStore(dataSource, json);
    }
}
