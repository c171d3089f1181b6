package dev.mecgw.app.ran;

import dev.mecgw.app.credentials.SecretCipher;
import dev.mecgw.app.gateway.SecureRandomSource;
import dev.mecgw.app.problem.ErrorKind;
import dev.mecgw.app.problem.GatewayException;
import dev.mecgw.app.registry.CredentialsRequest;
import dev.mecgw.app.registry.Device;
import dev.mecgw.app.registry.DeviceRegistry;
import dev.mecgw.app.registry.DeviceRequest;
import dev.mecgw.app.registry.Sim;
import dev.mecgw.app.registry.Slice;
import dev.mecgw.app.store.Jdbc;
import dev.mecgw.ran.identity.OnboardedDevice;
import dev.mecgw.ran.identity.RegisteredDevice;
import dev.mecgw.ran.identity.SimRegistry;
import dev.mecgw.ran.identity.Snssai;
import dev.mecgw.ran.presence.PresenceSink;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * Adapts the {@link DeviceRegistry} to the network integration's {@link SimRegistry} and {@link PresenceSink},
 * and keeps zero-touch passwords encrypted until the operator fetches them once. Blocking (JDBC).
 */
public class PostgresSimRegistry implements SimRegistry, PresenceSink {

    private final DeviceRegistry registry;
    private final Jdbc jdbc;
    private final SecretCipher cipher;

    public PostgresSimRegistry(DeviceRegistry registry, DataSource dataSource, SecretCipher cipher) {
        this.registry = registry;
        // SimRegistry's contract: a failed onboarding is an IllegalStateException (SimIdentityCheck rejects it).
        this.jdbc = new Jdbc(dataSource, e -> new IllegalStateException("SIM registry store unavailable", e));
        this.cipher = cipher;
    }

    @Override
    public Optional<RegisteredDevice> find(String deviceId) {
        return registry.find(deviceId).map(PostgresSimRegistry::toRegistered);
    }

    @Override
    public Optional<RegisteredDevice> findByGpsi(String gpsi) {
        return jdbc.queryOne(
                        "SELECT id FROM devices WHERE gpsi = ? ORDER BY id LIMIT 1",
                        ps -> ps.setString(1, gpsi),
                        rs -> rs.getString(1))
                .flatMap(this::find);
    }

    @Override
    public OnboardedDevice onboard(String deviceId, String gpsi, Snssai slice, String type) {
        byte[] secret = new byte[24];
        SecureRandomSource.nextBytes(secret);
        String password = Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
        Device device;
        try {
            device = registry.create(new DeviceRequest(
                    deviceId,
                    type,
                    Map.of("onboarding", "zero-touch"),
                    new Sim(null, gpsi),
                    new Slice(slice.sst(), slice.sd()),
                    new CredentialsRequest(password, null, null)));
        } catch (GatewayException e) {
            if (e.kind() == ErrorKind.CONFLICT) {
                throw new IllegalStateException("device " + deviceId + " or its SIM registered meanwhile", e);
            }
            throw e;
        }
        storeSecret(deviceId, password);
        return new OnboardedDevice(toRegistered(device), password);
    }

    /** The password of a zero-touch device, once: the stored copy is deleted as it is read. */
    public Optional<String> takeOnboardingSecret(String deviceId) {
        return jdbc.queryOne(
                "DELETE FROM ran_onboarding_secrets WHERE device_id = ? RETURNING ciphertext",
                ps -> ps.setString(1, deviceId),
                rs -> new String(cipher.decrypt(rs.getBytes(1), deviceId), StandardCharsets.UTF_8));
    }

    @Override
    public void markOffline(String deviceId, Instant at) {
        registry.updatePresence(deviceId, false, at);
    }

    private void storeSecret(String deviceId, String password) {
        jdbc.update("INSERT INTO ran_onboarding_secrets (device_id, ciphertext) VALUES (?, ?)", ps -> {
            ps.setString(1, deviceId);
            ps.setBytes(2, cipher.encrypt(password.getBytes(StandardCharsets.UTF_8), deviceId));
        });
    }

    private static RegisteredDevice toRegistered(Device device) {
        Snssai slice = device.slice() == null
                ? null
                : new Snssai(device.slice().sst(), device.slice().sd());
        return new RegisteredDevice(
                device.id(),
                device.type(),
                device.sim() == null ? null : device.sim().gpsi(),
                slice);
    }
}
