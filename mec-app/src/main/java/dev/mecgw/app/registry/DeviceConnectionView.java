package dev.mecgw.app.registry;

import java.util.Optional;

/**
 * The live state of a southbound device's connection (issue 21), shown inside the device document. Implemented by
 * the southbound area. Must not block (in-memory state).
 */
public interface DeviceConnectionView {

    /** Shows nothing. */
    DeviceConnectionView NONE = deviceId -> Optional.empty();

    /** @return a JSON-serializable state, or empty when no client runs for the device */
    Optional<Object> stateOf(String deviceId);
}
