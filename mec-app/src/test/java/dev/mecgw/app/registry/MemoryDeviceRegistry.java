package dev.mecgw.app.registry;

import dev.mecgw.app.credentials.PasswordHasher;
import dev.mecgw.app.problem.ErrorKind;
import dev.mecgw.app.problem.GatewayException;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Devices with one test password in memory, for front-end tests without a database: what password authentication,
 * auto-registration (Sparkplug) and presence read and write of the registry; the REST-only operations are
 * unsupported. Thread-safe.
 */
public final class MemoryDeviceRegistry implements DeviceRegistry {

    /** Hashes the test password; hand it to the broker, so that unknown ids cost a hash like known ones. */
    public final PasswordHasher hasher = new PasswordHasher(1_000);
    /** The registered devices by id. */
    public final Map<String, Device> byId = new ConcurrentHashMap<>();
    /** The last presence each registered device reported. */
    public final Map<String, Boolean> online = new ConcurrentHashMap<>();

    private final Map<String, String> hashes = new ConcurrentHashMap<>();
    private final String password;

    /** @param password every registered device's password */
    public MemoryDeviceRegistry(String password) {
        this.password = password;
    }

    /** Registers a sensor; returns its id. */
    public String add(String id) {
        return add(id, "sensor", Map.of());
    }

    /** Registers a device of {@code type} with {@code labels}; returns its id. */
    public String add(String id, String type, Map<String, String> labels) {
        byId.put(id, new Device(id, type, labels, null, null, null, null, null, null, null));
        hashes.put(id, hasher.hash(password));
        return id;
    }

    @Override
    public Optional<StoredCredentials> credentials(String id) {
        return Optional.ofNullable(hashes.get(id)).map(hash -> new StoredCredentials(id, hash, null, null));
    }

    @Override
    public Optional<Device> find(String id) {
        return Optional.ofNullable(byId.get(id));
    }

    @Override
    public void updatePresence(String id, boolean isOnline, Instant lastSeen) {
        if (byId.containsKey(id)) {
            online.put(id, isOnline);
        }
    }

    /** Registers without credentials (auto-registration); a taken id is a conflict. */
    @Override
    public Device create(DeviceRequest request) {
        Device device = new Device(
                request.id(), request.type(), request.labelsOrEmpty(), null, null, null, null, null, null, null);
        if (byId.putIfAbsent(request.id(), device) != null) {
            throw new GatewayException(ErrorKind.CONFLICT, "exists");
        }
        return device;
    }

    @Override
    public Device update(String id, DeviceRequest request) {
        throw new UnsupportedOperationException();
    }

    @Override
    public boolean delete(String id) {
        throw new UnsupportedOperationException();
    }

    @Override
    public DevicePage list(DeviceFilter filter, int page, int size) {
        throw new UnsupportedOperationException();
    }

    @Override
    public Device setCredentials(String id, CredentialsRequest credentials) {
        throw new UnsupportedOperationException();
    }
}
