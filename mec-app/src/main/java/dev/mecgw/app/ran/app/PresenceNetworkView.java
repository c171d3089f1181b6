package dev.mecgw.app.ran.app;

import dev.mecgw.app.registry.DeviceNetworkView;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Optional;

/** Shows the network presence state (reachability, cell, tracking area) in the device document. */
@ApplicationScoped
public class PresenceNetworkView implements DeviceNetworkView {

    private final RanRuntime ran;

    @Inject
    public PresenceNetworkView(RanRuntime ran) {
        this.ran = ran;
    }

    @Override
    public Optional<Object> stateOf(String deviceId) {
        return ran.presence().flatMap(presence -> presence.state(deviceId)).map(Object.class::cast);
    }
}
