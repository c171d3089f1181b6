package dev.mecgw.app.inference;

import dev.mecgw.app.registry.Device;
import dev.mecgw.app.registry.DeviceRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;

/**
 * Device types for the sensor pipeline's type-scoped models (issue 23), cached for a minute and looked up off the
 * caller's thread: the committed-telemetry consumer must not block on the registry. An unknown device's type is
 * loaded in the background; until then its readings reach only models that name no device type.
 */
public final class DeviceTypes {

    private static final Duration TTL = Duration.ofSeconds(60);
    private static final int MAX_CACHED = 100_000;

    private final DeviceRegistry registry;
    private final ExecutorService loader;
    private final Clock clock;
    private final Map<String, Cached> cache = new ConcurrentHashMap<>();

    /** @param loader where registry look-ups run; a full queue skips the look-up until the next reading */
    public DeviceTypes(DeviceRegistry registry, ExecutorService loader, Clock clock) {
        this.registry = registry;
        this.loader = loader;
        this.clock = clock;
    }

    /** @return the cached type of the device, null while unknown; a missing or stale entry is (re)loaded */
    public String typeOf(String deviceId) {
        Instant now = clock.instant();
        Cached cached = cache.get(deviceId);
        if (cached == null || cached.expires.isBefore(now)) {
            load(deviceId, cached, now);
        }
        return cached == null ? null : cached.type;
    }

    private void load(String deviceId, Cached previous, Instant now) {
        if (cache.size() >= MAX_CACHED) {
            cache.clear();
        }
        // Claim the refresh so that one burst of readings loads the device once.
        Cached pending = new Cached(previous == null ? null : previous.type, now.plus(TTL));
        if (previous == null
                ? cache.putIfAbsent(deviceId, pending) != null
                : !cache.replace(deviceId, previous, pending)) {
            return;
        }
        try {
            loader.execute(() -> {
                try {
                    String type = registry.find(deviceId).map(Device::type).orElse(null);
                    cache.put(deviceId, new Cached(type, clock.instant().plus(TTL)));
                } catch (RuntimeException e) {
                    cache.remove(deviceId);
                }
            });
        } catch (RejectedExecutionException e) {
            cache.remove(deviceId);
        }
    }

    private record Cached(String type, Instant expires) {}
}
