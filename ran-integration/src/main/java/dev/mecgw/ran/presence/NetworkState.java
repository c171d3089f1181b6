package dev.mecgw.ran.presence;

import java.time.Instant;

/**
 * What the network last told about a device; shown by the device API.
 *
 * @param deviceId the device
 * @param reachable true after UE_REACHABILITY, false after LOSS_OF_CONNECTIVITY, null when not reported yet
 * @param cellId serving cell from LOCATION_REPORTING or MEC 012 cell change, or null
 * @param trackingAreaId tracking area from LOCATION_REPORTING, or null
 * @param lossOfConnectReason TS 29.336 reason of the last loss, or null
 * @param updatedAt time of the latest report applied
 */
public record NetworkState(
        String deviceId,
        Boolean reachable,
        String cellId,
        String trackingAreaId,
        Integer lossOfConnectReason,
        Instant updatedAt) {

    static NetworkState empty(String deviceId, Instant at) {
        return new NetworkState(deviceId, null, null, null, null, at);
    }

    NetworkState lost(Integer reason, Instant at) {
        return new NetworkState(deviceId, false, cellId, trackingAreaId, reason, at);
    }

    NetworkState reached(Instant at) {
        return new NetworkState(deviceId, true, cellId, trackingAreaId, lossOfConnectReason, at);
    }

    NetworkState located(String cell, String trackingArea, Instant at) {
        return new NetworkState(
                deviceId,
                reachable,
                cell,
                trackingArea == null ? trackingAreaId : trackingArea,
                lossOfConnectReason,
                at);
    }
}
