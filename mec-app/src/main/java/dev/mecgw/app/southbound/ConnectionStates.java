package dev.mecgw.app.southbound;

import dev.mecgw.app.registry.DeviceConnectionView;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** The in-memory connection state of every running southbound client, shown by the device API. Thread-safe. */
final class ConnectionStates implements DeviceConnectionView {

    private final Map<String, ConnectionStatus> states = new ConcurrentHashMap<>();
    private final Clock clock;

    ConnectionStates(Clock clock) {
        this.clock = clock;
    }

    @Override
    public Optional<Object> stateOf(String deviceId) {
        return Optional.ofNullable(states.get(deviceId));
    }

    Optional<ConnectionStatus> status(String deviceId) {
        return Optional.ofNullable(states.get(deviceId));
    }

    /**
     * Moves the device to {@code state}; {@code since} changes only when the state does.
     *
     * @return the state before, null when the device had none
     */
    ConnectionState enter(String deviceId, ConnectionState state, String error) {
        ConnectionStatus[] before = new ConnectionStatus[1];
        states.compute(deviceId, (id, old) -> {
            before[0] = old;
            String lastError = error != null ? error : old == null ? null : old.lastError();
            if (old != null && old.state() == state) {
                return new ConnectionStatus(state, lastError, old.since());
            }
            return new ConnectionStatus(state, lastError, clock.instant());
        });
        return before[0] == null ? null : before[0].state();
    }

    void remove(String deviceId) {
        states.remove(deviceId);
    }
}
