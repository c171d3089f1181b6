package dev.mecgw.app.ota;

import dev.mecgw.app.acl.Principal;
import dev.mecgw.app.credentials.PasswordHasher;
import dev.mecgw.app.credentials.VerifiedPasswordCache;
import dev.mecgw.app.problem.ErrorKind;
import dev.mecgw.app.problem.GatewayException;
import dev.mecgw.app.registry.Device;
import dev.mecgw.app.registry.DeviceRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * HTTP Basic authentication of a device with its own registry credentials (user = device id, password = its MQTT
 * password), for firmware downloads (issue 18 item 1). A verified password is remembered in the gateway's one
 * {@link VerifiedPasswordCache} (shared with MQTT CONNECT) against the stored hash it matched, so that the range
 * requests of one download cost one PBKDF2 derivation, a changed password or a deleted device is refused at the next
 * request without any hook, and a revocation drops the entry at once. Derivations of unverified passwords are limited
 * to a few at a time (busy: UNAVAILABLE), so that wrong passwords cannot take the worker pool. Blocking (registry
 * read, hashing); thread-safe.
 */
final class DeviceBasicAuth {

    private static final String BASIC = "Basic ";

    private final DeviceRegistry registry;
    private final PasswordHasher hasher;
    private final VerifiedPasswordCache verified;
    private final Duration ttl;
    private final Semaphore hashing;

    /**
     * @param verified the gateway's verified passwords
     * @param ttl how long a verified password is good for downloads
     * @param hashThreads derivations allowed at once
     */
    DeviceBasicAuth(
            DeviceRegistry registry,
            PasswordHasher hasher,
            VerifiedPasswordCache verified,
            Duration ttl,
            int hashThreads) {
        this.registry = registry;
        this.hasher = hasher;
        this.verified = verified;
        this.ttl = ttl;
        this.hashing = new Semaphore(hashThreads);
    }

    /**
     * @param authorization the Authorization header, may be null
     * @return the authenticated device id
     * @throws GatewayException UNAUTHORIZED for missing or wrong credentials, UNAVAILABLE when too many checks run
     */
    String authenticate(String authorization) {
        if (authorization == null || !authorization.regionMatches(true, 0, BASIC, 0, BASIC.length())) {
            throw new GatewayException(ErrorKind.UNAUTHORIZED, "Device credentials required (HTTP Basic)");
        }
        String pair;
        try {
            pair = new String(
                    Base64.getDecoder()
                            .decode(authorization.substring(BASIC.length()).strip()),
                    StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new GatewayException(ErrorKind.UNAUTHORIZED, "Malformed Basic credentials");
        }
        int colon = pair.indexOf(':');
        if (colon <= 0) {
            throw new GatewayException(ErrorKind.UNAUTHORIZED, "Malformed Basic credentials");
        }
        String deviceId = pair.substring(0, colon);
        String password = pair.substring(colon + 1);
        String stored = registry.credentials(deviceId)
                .map(DeviceRegistry.StoredCredentials::passwordHash)
                .orElse(null);
        if (stored == null) {
            throw new GatewayException(ErrorKind.UNAUTHORIZED, "Bad device id or password");
        }
        if (verified.lookup(deviceId, password, stored, ttl).isPresent()) {
            return deviceId;
        }
        if (!acquireHashing()) {
            throw new GatewayException(ErrorKind.UNAVAILABLE, "Gateway busy, try again later");
        }
        try {
            if (!hasher.verify(password, stored)) {
                throw new GatewayException(ErrorKind.UNAUTHORIZED, "Bad device id or password");
            }
        } finally {
            hashing.release();
        }
        Device device = registry.find(deviceId)
                .orElseThrow(() -> new GatewayException(ErrorKind.UNAUTHORIZED, "Bad device id or password"));
        verified.remember(new Principal(deviceId, device.type()), password, stored);
        return deviceId;
    }

    /**
     * A short wait for a free derivation: a fleet that starts a wave asks at once, and a one-second queue spares
     * well-behaved devices a 503 round trip while still bounding the threads a flood of wrong passwords can hold.
     */
    private boolean acquireHashing() {
        try {
            return hashing.tryAcquire(1, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
