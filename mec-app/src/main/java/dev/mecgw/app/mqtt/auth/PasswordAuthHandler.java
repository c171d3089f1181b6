package dev.mecgw.app.mqtt.auth;

import dev.mecgw.app.acl.Principal;
import dev.mecgw.app.credentials.LoginThrottle;
import dev.mecgw.app.credentials.PasswordHasher;
import dev.mecgw.app.credentials.VerifiedPasswordCache;
import dev.mecgw.app.gateway.DaemonThreads;
import dev.mecgw.app.problem.ErrorKind;
import dev.mecgw.app.problem.GatewayException;
import dev.mecgw.app.registry.Device;
import dev.mecgw.app.registry.DeviceRegistry;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * User name = device id, password checked against the registry's PBKDF2 hash. Verified pairs are remembered in the
 * gateway's one {@link VerifiedPasswordCache} (shared with firmware downloads) against the stored hash, so a cache hit
 * costs one registry read (on a worker, not the event loop) and a re-keyed or deleted device misses at once. Issue 15,
 * item 6, hashing must not be a denial of service nor an oracle:
 * <ul>
 * <li>failed attempts are throttled per device id and per source address ({@link LoginThrottle}); a throttled
 *     attempt is refused QUOTA_EXCEEDED (CONNACK 0x97 on MQTT 5, 0x03 on 3.1.1) without hashing;</li>
 * <li>an unknown device id is checked against a dummy hash of the same cost, so that timing does not tell which
 *     ids exist (meter {@code mecgw.mqtt.auth.hashes} counts every derivation);</li>
 * <li>derivations run on their own bounded pool, not on the shared worker pool, so that the event loops and the
 *     ingest keep their threads; a full queue refuses UNAVAILABLE (0x88 / 0x03).</li>
 * </ul>
 */
public class PasswordAuthHandler implements AuthHandler, AutoCloseable {

    /**
     * Limits of password checking, from {@code mecgw.mqtt.auth.*}.
     *
     * @param cacheTtl how long a verified password is remembered
     * @param failuresPerDevice failed attempts per device id and window before refusing
     * @param failuresPerAddress failed attempts per source address and window before refusing
     * @param failureWindow the window
     * @param hashThreads threads deriving hashes
     * @param hashQueue checks waiting for a thread; more are refused
     */
    public record Limits(
            Duration cacheTtl,
            int failuresPerDevice,
            int failuresPerAddress,
            Duration failureWindow,
            int hashThreads,
            int hashQueue) {}

    private static final int MAX_THROTTLE_KEYS = 100_000;

    private final DeviceRegistry registry;
    private final PasswordHasher hasher;
    private final VerifiedPasswordCache cache;
    private final Duration cacheTtl;
    private final LoginThrottle throttle;
    private final ThreadPoolExecutor hashing;
    private final String dummyHash;
    private final Counter hashes;
    private final Counter throttled;
    private final Map<String, Long> revocations = new ConcurrentHashMap<>();

    /**
     * @param cache verified passwords, shared with the gateway's other password checks
     * @param clock time of the failure windows
     */
    public PasswordAuthHandler(
            DeviceRegistry registry,
            PasswordHasher hasher,
            VerifiedPasswordCache cache,
            Limits limits,
            Clock clock,
            MeterRegistry meters) {
        this.registry = registry;
        this.hasher = hasher;
        this.cache = cache;
        this.cacheTtl = limits.cacheTtl();
        this.throttle = new LoginThrottle(
                limits.failuresPerDevice(),
                limits.failuresPerAddress(),
                limits.failureWindow(),
                clock,
                MAX_THROTTLE_KEYS);
        this.hashing = new ThreadPoolExecutor(
                limits.hashThreads(),
                limits.hashThreads(),
                60,
                TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(limits.hashQueue()),
                DaemonThreads.named("mecgw-mqtt-auth-%d"));
        this.hashing.allowCoreThreadTimeOut(true);
        // Same cost as a stored hash (the count is in the encoding), for ids that do not exist.
        this.dummyHash = hasher == null ? null : hasher.hash(UUID.randomUUID().toString());
        this.hashes = meters.counter("mecgw.mqtt.auth.hashes");
        this.throttled = meters.counter("mecgw.mqtt.connections.refused", "reason", "auth-throttled");
    }

    @Override
    public Future<Optional<Principal>> authenticate(ConnectRequest request) {
        if (request.username() == null) {
            return Future.succeededFuture(Optional.empty());
        }
        String deviceId = request.username();
        String password = request.password() == null ? "" : request.password();
        Context context = Vertx.currentContext();
        if (context == null) {
            return afterLookup(request, remembered(deviceId, password), null);
        }
        // The stored hash is a registry read: blocking, so not on the event loop.
        return context.<Optional<Principal>>executeBlocking(() -> remembered(deviceId, password), false)
                .compose(hit -> afterLookup(request, hit, context));
    }

    /** The cached principal when this password was verified against the device's current stored hash. */
    private Optional<Principal> remembered(String deviceId, String password) {
        String stored = registry.credentials(deviceId)
                .map(DeviceRegistry.StoredCredentials::passwordHash)
                .orElse(null);
        return cache.lookup(deviceId, password, stored, cacheTtl);
    }

    private Future<Optional<Principal>> afterLookup(ConnectRequest request, Optional<Principal> hit, Context context) {
        if (hit.isPresent()) {
            return Future.succeededFuture(hit);
        }
        String deviceId = request.username();
        String password = request.password() == null ? "" : request.password();
        if (!throttle.allowed(deviceId, request.sourceAddress())) {
            throttled.increment();
            return Future.failedFuture(
                    new GatewayException(ErrorKind.QUOTA_EXCEEDED, "Too many failed attempts, try again later"));
        }
        Promise<Optional<Principal>> result = Promise.promise();
        try {
            hashing.execute(() -> {
                Future<Optional<Principal>> outcome;
                try {
                    outcome = Future.succeededFuture(verify(deviceId, password, request.sourceAddress()));
                } catch (RuntimeException e) {
                    outcome = Future.failedFuture(e);
                }
                Future<Optional<Principal>> done = outcome;
                if (context == null) {
                    result.handle(done);
                } else {
                    context.runOnContext(v -> result.handle(done));
                }
            });
        } catch (RejectedExecutionException e) {
            return Future.failedFuture(new GatewayException(ErrorKind.UNAVAILABLE, "Gateway busy, try again later"));
        }
        return result.future();
    }

    /**
     * Forgets the device's verified passwords and fails checks of it that are under way (issue 15.9): after a
     * delete or a new password, only the new credentials connect.
     */
    public void forget(String deviceId) {
        revocations.merge(deviceId, 1L, Long::sum);
        cache.forget(deviceId);
    }

    private Optional<Principal> verify(String deviceId, String password, String address) {
        Long revokedBefore = revocations.get(deviceId);
        String hash = registry.credentials(deviceId)
                .map(DeviceRegistry.StoredCredentials::passwordHash)
                .orElse(null);
        Optional<Device> device = hash == null ? Optional.empty() : registry.find(deviceId);
        hashes.increment();
        boolean matches = hasher.verify(password, hash == null ? dummyHash : hash) && hash != null;
        if (!matches || device.isEmpty()) {
            throttle.failed(deviceId, address);
            throw new GatewayException(ErrorKind.UNAUTHORIZED, "Bad user name or password");
        }
        if (!Objects.equals(revokedBefore, revocations.get(deviceId))) {
            // Deleted or re-keyed while we were hashing: the old password must not get in, nor into the cache.
            throw new GatewayException(ErrorKind.UNAVAILABLE, "Credentials changed, try again");
        }
        throttle.succeeded(deviceId);
        Principal principal = new Principal(deviceId, device.get().type());
        cache.remember(principal, password, hash);
        return Optional.of(principal);
    }

    @Override
    public void close() {
        hashing.shutdownNow();
    }
}
