package dev.mecgw.ran.identity;

import dev.mecgw.ran.presence.PresenceSink;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** Test fixture: a registry in memory that also keeps presence. */
public final class InMemorySimRegistry implements SimRegistry, PresenceSink {

    private final Map<String, RegisteredDevice> devices = new ConcurrentHashMap<>();
    private final Map<String, Instant> offlineSince = new ConcurrentHashMap<>();

    /** Registers a device. */
    public InMemorySimRegistry with(RegisteredDevice device) {
        devices.put(device.id(), device);
        return this;
    }

    @Override
    public Optional<RegisteredDevice> find(String deviceId) {
        return Optional.ofNullable(devices.get(deviceId));
    }

    @Override
    public Optional<RegisteredDevice> findByGpsi(String gpsi) {
        return devices.values().stream().filter(d -> gpsi.equals(d.gpsi())).findFirst();
    }

    @Override
    public OnboardedDevice onboard(String deviceId, String gpsi, Snssai slice, String type) {
        RegisteredDevice device = new RegisteredDevice(deviceId, type, gpsi, slice);
        if (devices.putIfAbsent(deviceId, device) != null) {
            throw new IllegalStateException("exists");
        }
        return new OnboardedDevice(device, "generated-secret");
    }

    @Override
    public void markOffline(String deviceId, Instant at) {
        offlineSince.put(deviceId, at);
    }

    /** When the device was marked offline, if it was. */
    public Optional<Instant> offlineSince(String deviceId) {
        return Optional.ofNullable(offlineSince.get(deviceId));
    }
}
