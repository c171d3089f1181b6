package dev.mecgw.app.credentials;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Refuses password checks for a name (a device id, a console user) or a source address after too many recent
 * failures, before any password is hashed, so that guessing costs the attacker time and not our CPU (issue 15 item
 * 6, the console login). Used by the MQTT password check and the console login alike.
 *
 * <p>A failure counts for one {@code window} after it happened (a sliding window: no burst of twice the limit across
 * a window's edge). Memory is bounded twice: per key only the latest {@code limit} failures are kept (enough to tell
 * whether the limit is reached), and at most {@code maxKeys} names and addresses are tracked, the least recently
 * failed forgotten first, so that a flood of made-up names cannot grow the heap nor wipe the counts of the others.
 * Thread-safe; every call is short.
 */
public final class LoginThrottle {

    private final int perName;
    private final int perAddress;
    private final Duration window;
    private final Clock clock;
    private final Map<String, Deque<Long>> failures;

    /**
     * @param perName failed attempts allowed per name within a window
     * @param perAddress failed attempts allowed per source address within a window
     * @param window how long a failure counts
     * @param clock time of the failures (tests pass one they can move)
     * @param maxKeys most names and addresses tracked at once
     */
    public LoginThrottle(int perName, int perAddress, Duration window, Clock clock, int maxKeys) {
        this.perName = perName;
        this.perAddress = perAddress;
        this.window = window;
        this.clock = clock;
        this.failures = new LinkedHashMap<>(64, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Deque<Long>> eldest) {
                return size() > maxKeys;
            }
        };
    }

    /**
     * Whether a password check for this name from this address may run now.
     *
     * @param address the source address; null when unknown, then only the name counts
     */
    public synchronized boolean allowed(String name, String address) {
        long now = clock.millis();
        return recent(nameKey(name), now) < perName
                && (address == null || recent(addressKey(address), now) < perAddress);
    }

    /** Counts one failed check against the name and the address (null: the name only). */
    public synchronized void failed(String name, String address) {
        long now = clock.millis();
        count(nameKey(name), perName, now);
        if (address != null) {
            count(addressKey(address), perAddress, now);
        }
    }

    /** A correct password clears the name's failures; the address keeps its own, as it may try other names. */
    public synchronized void succeeded(String name) {
        failures.remove(nameKey(name));
    }

    private int recent(String key, long now) {
        Deque<Long> times = failures.get(key);
        if (times == null) {
            return 0;
        }
        while (!times.isEmpty() && now - times.peekFirst() >= window.toMillis()) {
            times.removeFirst();
        }
        if (times.isEmpty()) {
            failures.remove(key);
            return 0;
        }
        return times.size();
    }

    private void count(String key, int limit, long now) {
        Deque<Long> times = failures.computeIfAbsent(key, k -> new ArrayDeque<>());
        times.addLast(now);
        // Whether the limit is reached depends on the latest `limit` failures only.
        while (times.size() > Math.max(1, limit)) {
            times.removeFirst();
        }
    }

    private static String nameKey(String name) {
        return "name:" + name;
    }

    private static String addressKey(String address) {
        return "addr:" + address;
    }
}
