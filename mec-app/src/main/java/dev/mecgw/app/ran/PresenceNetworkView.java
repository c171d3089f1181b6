package dev.mecgw.app.ran;

import dev.mecgw.app.registry.DeviceNetworkView;
import java.util.Optional;

/** Shows the network presence state (reachability, cell, tracking area) in the device document. */
public class PresenceNetworkView implements DeviceNetworkView {

    private final RanNetwork ran;

    public PresenceNetworkView(RanNetwork ran) {
        this.ran = ran;
    }

    @Override
    public Optional<Object> stateOf(String deviceId) {
        return ran.presence().flatMap(presence -> presence.state(deviceId)).map(Object.class::cast);
    }
}
