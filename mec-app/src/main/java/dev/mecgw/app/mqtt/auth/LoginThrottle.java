package dev.mecgw.app.mqtt.auth;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Counts failed password attempts per device id and per source address in fixed windows (issue 15, item 6), so
 * that guessing passwords costs the attacker time and the gateway no PBKDF2 derivations: over either limit an
 * attempt is refused before any hashing. A device whose password was verified recently is served from
 * {@link VerifiedPasswordCache} before this check, so someone failing on purpose under another device's id
 * cannot lock that device out while it keeps reconnecting. Memory is bounded: at {@code maxKeys} counters the
 * expired ones are dropped, and all of them if none had expired. Thread-safe.
 */
final class LoginThrottle {

    private final int perDevice;
    private final int perAddress;
    private final long windowMillis;
    private final Clock clock;
    private final int maxKeys;
    private final Map<String, Window> windows = new ConcurrentHashMap<>();

    /**
     * @param perDevice failed attempts allowed per device id and window
     * @param perAddress failed attempts allowed per source address and window
     * @param window length of a window
     * @param clock time source of the windows (injected in tests)
     * @param maxKeys most counters kept
     */
    LoginThrottle(int perDevice, int perAddress, Duration window, Clock clock, int maxKeys) {
        this.perDevice = perDevice;
        this.perAddress = perAddress;
        this.windowMillis = window.toMillis();
        this.clock = clock;
        this.maxKeys = maxKeys;
    }

    /** Whether an attempt for this device from this address may be checked now. */
    boolean allowed(String deviceId, String address) {
        long now = clock.millis();
        return failures("d:" + deviceId, now) < perDevice
                && (address == null || failures("a:" + address, now) < perAddress);
    }

    /** Counts a failed attempt against the device id and the address. */
    void failed(String deviceId, String address) {
        long now = clock.millis();
        count("d:" + deviceId, now);
        if (address != null) {
            count("a:" + address, now);
        }
    }

    /** A correct password clears the device's count (the address keeps its own). */
    void succeeded(String deviceId) {
        windows.remove("d:" + deviceId);
    }

    private int failures(String key, long now) {
        Window window = windows.get(key);
        return window == null || now - window.start() >= windowMillis ? 0 : window.count();
    }

    private void count(String key, long now) {
        if (windows.size() >= maxKeys) {
            windows.values().removeIf(w -> now - w.start() >= windowMillis);
            if (windows.size() >= maxKeys) {
                windows.clear();
            }
        }
        windows.compute(
                key,
                (k, w) -> w == null || now - w.start() >= windowMillis
                        ? new Window(now, 1)
                        : new Window(w.start(), w.count() + 1));
    }

    private record Window(long start, int count) {}
}
