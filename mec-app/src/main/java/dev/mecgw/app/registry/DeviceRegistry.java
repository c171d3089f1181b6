package dev.mecgw.app.registry;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The device registry. Every write is atomic: a failed call leaves nothing behind. Methods block on the
 * database; never call them on an event loop.
 */
public interface DeviceRegistry {

    /**
     * Registers a device with its optional secrets.
     *
     * @throws dev.mecgw.app.problem.GatewayException CONFLICT when the id, SUPI or certificate
     *     fingerprint is already registered
     */
    Device create(DeviceRequest request);

    /** The device with this id, if registered. */
    Optional<Device> find(String id);

    /**
     * Replaces type, labels, SIM and slice; replaces secrets given in the request and keeps the others.
     *
     * @throws dev.mecgw.app.problem.GatewayException NOT_FOUND for an unknown id, CONFLICT as for create
     */
    Device update(String id, DeviceRequest request);

    /** Removes a device, its secrets and its twin; false when it did not exist. Telemetry is kept. */
    boolean delete(String id);

    /** One page of devices matching the filter, ordered by id. */
    DevicePage list(DeviceFilter filter, int page, int size);

    /**
     * Replaces the secrets given in the request and keeps the others.
     *
     * @throws dev.mecgw.app.problem.GatewayException NOT_FOUND for an unknown id
     */
    Device setCredentials(String id, CredentialsRequest credentials);

    /** The stored (hashed or encrypted) secrets of a device, for the protocol authenticators. */
    Optional<StoredCredentials> credentials(String id);

    /**
     * A label's value for the gateway's own use: a URL label with the user info that was split off it when stored
     * (issue 14.9). Never expose the result through the API, a log line or an event.
     *
     * @return the value with its credentials; empty when the device or the label does not exist
     */
    default Optional<String> labelWithSecret(String id, String label) {
        return find(id).map(device -> device.labels().get(label));
    }

    /**
     * The connection settings of a southbound device, with its secrets opened, for the protocol clients (issue 21).
     * Never expose the secrets through the API, a log line or an event.
     *
     * @return empty when the device does not exist or has no connection settings
     */
    default Optional<StoredConnection> connection(String id) {
        return Optional.empty();
    }

    /** The connection settings of every device of the given types, as {@link #connection}. */
    default List<StoredConnection> connections(Collection<String> types) {
        return List.of();
    }

    /** Records presence; unknown ids are ignored. */
    void updatePresence(String id, boolean online, Instant lastSeen);

    /**
     * Stored secrets of one device as kept in the database.
     *
     * @param passwordHash encoded PBKDF2 hash or null
     * @param pskCiphertext AES-GCM ciphertext of the PSK or null
     * @param x509Sha256 lower-case certificate fingerprint or null
     */
    record StoredCredentials(String deviceId, String passwordHash, byte[] pskCiphertext, String x509Sha256) {}

    /**
     * A southbound device's connection settings as stored.
     *
     * @param settings the public settings
     * @param secrets the opened secrets by name; never log them
     */
    record StoredConnection(String deviceId, String type, ObjectNode settings, Map<String, String> secrets) {

        @Override
        public String toString() {
            return "StoredConnection[" + deviceId + ", " + type + ", secrets=" + secrets.keySet() + "]";
        }
    }
}
