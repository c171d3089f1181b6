package dev.mecgw.app.console;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Refuses logins for a user name or a client address after too many recent failures, before any password
 * is checked, so that guessing costs the attacker time and not our CPU. Counted in memory; at most
 * {@link #MAX_KEYS} names and addresses are tracked (the least recently failed are forgotten first), so a
 * flood of made-up names cannot grow the heap.
 */
final class LoginThrottle {

    static final int MAX_KEYS = 10_000;

    private final int perUser;
    private final int perAddress;
    private final Duration window;
    private final Clock clock;
    private final Map<String, Deque<Instant>> failures = new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Deque<Instant>> eldest) {
            return size() > MAX_KEYS;
        }
    };

    LoginThrottle(int perUser, int perAddress, Duration window, Clock clock) {
        this.perUser = perUser;
        this.perAddress = perAddress;
        this.window = window;
        this.clock = clock;
    }

    /** Whether a login for this user from this address must be refused now. */
    synchronized boolean blocked(String username, String address) {
        return recent(userKey(username)) >= perUser || recent(addressKey(address)) >= perAddress;
    }

    /** Counts one failed login against the user name and the address. */
    synchronized void failed(String username, String address) {
        Instant now = clock.instant();
        failures.computeIfAbsent(userKey(username), key -> new ArrayDeque<>()).addLast(now);
        failures.computeIfAbsent(addressKey(address), key -> new ArrayDeque<>()).addLast(now);
    }

    /** A successful login clears the user's failures (the address keeps its count: it may try other names). */
    synchronized void succeeded(String username) {
        failures.remove(userKey(username));
    }

    private int recent(String key) {
        Deque<Instant> times = failures.get(key);
        if (times == null) {
            return 0;
        }
        Instant horizon = clock.instant().minus(window);
        while (!times.isEmpty() && !times.peekFirst().isAfter(horizon)) {
            times.removeFirst();
        }
        if (times.isEmpty()) {
            failures.remove(key);
            return 0;
        }
        return times.size();
    }

    private static String userKey(String username) {
        return "user:" + username;
    }

    private static String addressKey(String address) {
        return "addr:" + address;
    }
}
