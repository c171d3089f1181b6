package dev.mecgw.app.coap;

import dev.mecgw.app.twin.DesiredTwin;

import java.util.Optional;

/**
 * Twin state as the CoAP resources read and write it. Blocking (database); call on a worker thread.
 */
public interface DeviceTwins {

    /** The current desired twin of a device, empty for an unknown device. */
    Optional<DesiredTwin> desired(String deviceId);

    /**
     * Merges a reported state into the stored one (top-level keys replace, RFC 7396 style without
     * deletion) and bumps the reported version.
     *
     * @param reported a JSON object as UTF-8 bytes
     * @return the new reported version
     * @throws dev.mecgw.app.problem.GatewayException BAD_REQUEST when not a JSON object, NOT_FOUND for an
     *     unknown device
     */
    long report(String deviceId, byte[] reported);
}
