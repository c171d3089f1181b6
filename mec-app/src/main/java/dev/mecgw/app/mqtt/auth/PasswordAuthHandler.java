package dev.mecgw.app.mqtt.auth;

import dev.mecgw.app.acl.Principal;
import dev.mecgw.app.credentials.PasswordHasher;
import dev.mecgw.app.problem.ErrorKind;
import dev.mecgw.app.problem.GatewayException;
import dev.mecgw.app.registry.Device;
import dev.mecgw.app.registry.DeviceRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.Optional;

/**
 * User name = device id, password checked against the registry's PBKDF2 hash on a worker thread.
 * Verified pairs are cached ({@link VerifiedPasswordCache}).
 */
public class PasswordAuthHandler implements AuthHandler {

    private final Vertx vertx;
    private final DeviceRegistry registry;
    private final PasswordHasher hasher;
    private final VerifiedPasswordCache cache;

    /** @param cacheTtl how long a verified password is remembered ({@code mecgw.mqtt.password-cache-ttl}) */
    public PasswordAuthHandler(Vertx vertx, DeviceRegistry registry, PasswordHasher hasher, Duration cacheTtl) {
        this.vertx = vertx;
        this.registry = registry;
        this.hasher = hasher;
        this.cache = new VerifiedPasswordCache(cacheTtl, System::nanoTime);
    }

    @Override
    public Future<Optional<Principal>> authenticate(ConnectRequest request) {
        if (request.username() == null) {
            return Future.succeededFuture(Optional.empty());
        }
        String deviceId = request.username();
        String password = request.password() == null ? "" : request.password();
        Principal cached = cache.lookup(deviceId, password);
        if (cached != null) {
            return Future.succeededFuture(Optional.of(cached));
        }
        return vertx.executeBlocking(() -> verify(deviceId, password), false);
    }

    private Optional<Principal> verify(String deviceId, String password) {
        String hash = registry.credentials(deviceId)
                .map(DeviceRegistry.StoredCredentials::passwordHash)
                .orElse(null);
        Optional<Device> device = registry.find(deviceId);
        if (hash == null || device.isEmpty() || !hasher.verify(password, hash)) {
            throw new GatewayException(ErrorKind.UNAUTHORIZED, "Bad user name or password");
        }
        Principal principal = new Principal(deviceId, device.get().type());
        cache.remember(deviceId, password, principal);
        return Optional.of(principal);
    }
}
