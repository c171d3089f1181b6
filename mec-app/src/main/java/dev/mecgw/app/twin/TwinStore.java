package dev.mecgw.app.twin;

import com.fasterxml.jackson.databind.JsonNode;

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
     * Replaces the reported document with a JSON object sent by the device.
     *
     * @throws dev.mecgw.app.problem.GatewayException BAD_REQUEST when the payload is not a JSON object,
     *     NOT_FOUND for an unknown device
     */
    void updateReported(String deviceId, byte[] reportedJson);

    /** The twin as {@code {"desired":..,"desiredVersion":..,"reported":..,"reportedVersion":..}}. */
    JsonNode get(String deviceId);
}
