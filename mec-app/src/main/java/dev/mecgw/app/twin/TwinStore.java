package dev.mecgw.app.twin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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

    /** The twin as {@code {"desired":..,"desiredVersion":..,"reported":..,"reportedVersion":..}}. */
    JsonNode get(String deviceId);

    /** Twins in the gateway's PostgreSQL, replicated to the cloud like every device table. */
    static TwinStore postgres(DataSource dataSource, ObjectMapper json) {
        return new PostgresTwinStore(dataSource, json);
    }
}
