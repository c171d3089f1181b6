package dev.mecgw.app.ota;

import dev.mecgw.app.credentials.PasswordHasher;
import dev.mecgw.app.problem.ErrorKind;
import dev.mecgw.app.problem.GatewayException;
import dev.mecgw.app.registry.DeviceRegistry;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * HTTP Basic authentication of a device with its own registry credentials (user = device id, password = its MQTT
 * password), for firmware downloads (issue 18 item 1). A verified password is remembered against the stored hash it
 * matched, so that the range requests of one download cost one PBKDF2 derivation, and a changed password or a
 * deleted device is refused at the next request without any revocation hook. Derivations of unverified passwords
 * are limited to a few at a time (busy: UNAVAILABLE), so that wrong passwords cannot take the worker pool.
 * Blocking (registry read, hashing); thread-safe.
 */
final class DeviceBasicAuth {

    private static final String BASIC = "Basic ";
    private static final int MAX_REMEMBERED = 50_000;

    private record Verified(String storedHash, byte[] passwordDigest, long expiresAtNanos) {}

    private final DeviceRegistry registry;
    private final PasswordHasher hasher;
    private final long ttlNanos;
    private final LongSupplier nanoTime;
    private final Semaphore hashing;
    private final Map<String, Verified> verified = new ConcurrentHashMap<>();

    /**
     * @param ttlNanos how long a verified password is remembered
     * @param hashThreads derivations allowed at once
     */
    DeviceBasicAuth(
            DeviceRegistry registry, PasswordHasher hasher, long ttlNanos, int hashThreads, LongSupplier nanoTime) {
        this.registry = registry;
        this.hasher = hasher;
        this.ttlNanos = ttlNanos;
        this.nanoTime = nanoTime;
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
        byte[] digest = sha256(password);
        Verified known = verified.get(deviceId);
        long now = nanoTime.getAsLong();
        if (known != null
                && known.storedHash().equals(stored)
                && now - known.expiresAtNanos() < 0
                && MessageDigest.isEqual(known.passwordDigest(), digest)) {
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
        if (verified.size() >= MAX_REMEMBERED) {
            // Bounded memory: forgetting only costs the next request one derivation.
            verified.clear();
        }
        verified.put(deviceId, new Verified(stored, digest, now + ttlNanos));
        return deviceId;
    }

    private static byte[] sha256(String password) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(password.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
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
