package dev.mecgw.app.registry;

import java.util.Optional;

/**
 * The 5G network's latest report about a device, shown inside the device document. Implemented by the
 * network integration; without it nothing is shown. Must not block (in-memory state).
 */
public interface DeviceNetworkView {

    /** @return a JSON-serializable state, or empty when the network reported nothing about the device */
    Optional<Object> stateOf(String deviceId);
}
