package dev.mecgw.app.credentials;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Refuses password checks for a name (a device id, a console user) or a source address after too many recent
 * failures, before any password is hashed, so that guessing costs the attacker time and not our CPU (issue 15 item
 * 6, the console login). Used by the MQTT password check and the console login alike.
 *
 * <p>A failure counts for at least one {@code window} after it happened and at most one and a half: each key keeps
 * three counters of half a window each, and a counter's failures count until its newest one is a window old. So
 * within any span of one window no more than the limit is ever allowed, also across a window's edge (a check counts
 * every failure of the last window); the price is that a failure may count up to half a window longer than it would
 * in an exact log. A weighted two-bucket counter (previous window's count scaled by the overlap) was not chosen: it
 * assumes the previous window's failures were spread evenly, and failures packed at its end let through up to twice
 * the limit within one window.
 *
 * <p>Memory is bounded three times: the state per key is constant (three {@code int} counts and three {@code long}
 * times, whatever the limit); a key holds at most {@value #MAX_PLAIN_KEY} characters of its name or address, a longer
 * one (an MQTT user name may have 65,535 bytes) being kept as its SHA-256 (same name, same key; no other name shares
 * it in practice, and one that did would only share its count); and at most {@code maxKeys} names and addresses are
 * tracked, the least recently failed or checked forgotten first, so that a flood of made-up names cannot grow the
 * heap nor wipe the counts of the others. Per key on a 64-bit JVM with compressed references: 48 bytes of counters,
 * 40 of map entry, about 10 of hash table, and the key string ({@code "name:"} or {@code "addr:"} and the text, or
 * {@code "name#"} and 43 characters of digest: 24 bytes plus 16 plus one a character, two once one is outside
 * Latin-1, rounded up to 8). Measured with this class alone on JDK 17 (heap used after {@code System.gc()}, before
 * and after 100,000 names failed once): 146 bytes a key for 12-character names, 194 for 64 characters, 173 for any
 * longer name (1,000 or 65,535 characters alike), 266 at most (64 characters outside Latin-1); so 15 to 27 MB for the
 * 100,000 keys of the MQTT bound, whatever the names. Before keys were bounded, 1,000-character names took 1,130
 * bytes a key, and a key grew with its name up to the 64 KB of an MQTT user name. The log of up to {@code limit} boxed
 * times this class replaced held 174 MB for 50,000 IPv4 addresses under 50,000 ids (review 9, finding 1.2).
 * Thread-safe; every call is short (a name over the bound costs one SHA-256 of it, made before the throttle's lock,
 * so that it delays only its own login).
 */
public final class LoginThrottle {

    /** The most characters of a name or address a key holds as such; a longer one is kept as its digest. */
    static final int MAX_PLAIN_KEY = 64;

    private final int perName;
    private final int perAddress;
    private final long windowMillis;
    private final long slotMillis;
    private final Clock clock;
    private final Map<String, Failures> failures;

    /**
     * @param perName failed attempts allowed per name within a window
     * @param perAddress failed attempts allowed per source address within a window
     * @param window how long a failure counts at least (at most one and a half times this)
     * @param clock time of the failures (tests pass one they can move)
     * @param maxKeys most names and addresses tracked at once
     */
    public LoginThrottle(int perName, int perAddress, Duration window, Clock clock, int maxKeys) {
        this.perName = perName;
        this.perAddress = perAddress;
        this.windowMillis = window.toMillis();
        this.slotMillis = Math.max(1, windowMillis / 2);
        this.clock = clock;
        this.failures = new LinkedHashMap<>(64, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Failures> eldest) {
                return size() > maxKeys;
            }
        };
    }

    /**
     * Whether a password check for this name from this address may run now.
     *
     * @param address the source address; null when unknown, then only the name counts
     */
    public boolean allowed(String name, String address) {
        // The keys are made before the lock: a long name's SHA-256 must not hold up every other login behind it.
        String nameKey = nameKey(name);
        String addressKey = address == null ? null : addressKey(address);
        synchronized (this) {
            long now = clock.millis();
            return recent(nameKey, now) < perName && (addressKey == null || recent(addressKey, now) < perAddress);
        }
    }

    /** Counts one failed check against the name and the address (null: the name only). */
    public void failed(String name, String address) {
        String nameKey = nameKey(name);
        String addressKey = address == null ? null : addressKey(address);
        synchronized (this) {
            long now = clock.millis();
            count(nameKey, now);
            if (addressKey != null) {
                count(addressKey, now);
            }
        }
    }

    /** A correct password clears the name's failures; the address keeps its own, as it may try other names. */
    public void succeeded(String name) {
        String nameKey = nameKey(name);
        synchronized (this) {
            failures.remove(nameKey);
        }
    }

    /** The state kept for one key, for the test that holds it constant in size. */
    Object stateOf(String name) {
        String nameKey = nameKey(name);
        synchronized (this) {
            return failures.get(nameKey);
        }
    }

    private int recent(String key, long now) {
        Failures counts = failures.get(key);
        if (counts == null) {
            return 0;
        }
        int recent = counts.recent(now, windowMillis);
        if (recent == 0) {
            failures.remove(key);
        }
        return recent;
    }

    private void count(String key, long now) {
        failures.computeIfAbsent(key, k -> new Failures()).add(now, slotMillis);
    }

    /** The characters of the longest key held, for the test that holds it bounded. */
    synchronized int longestKey() {
        return failures.keySet().stream().mapToInt(String::length).max().orElse(0);
    }

    private static String nameKey(String name) {
        return key("name", name);
    }

    private static String addressKey(String address) {
        return key("addr", address);
    }

    // ':' before a value kept as such, '#' before a digest: a short name that reads like a digest has a key of its own.
    private static String key(String kind, String value) {
        if (value.length() <= MAX_PLAIN_KEY) {
            return kind + ":" + value;
        }
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
            return kind + "#" + Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }

    /**
     * The failures of one key in three slots of half a window (the current one and the two before it, all that can
     * hold a failure less than a window old), each with its count and its newest failure. Primitive fields only, so
     * that its size does not grow with the limit. Not thread-safe: guarded by the throttle.
     */
    static final class Failures {

        private int current;
        private int previous;
        private int older;
        private long currentNewest;
        private long previousNewest;
        private long olderNewest;

        void add(long now, long slotMillis) {
            // The current slot is the one of its newest failure, which add always leaves at least one of.
            long gap = current == 0
                    ? Long.MAX_VALUE
                    : Math.floorDiv(now, slotMillis) - Math.floorDiv(currentNewest, slotMillis);
            if (gap == 1) {
                older = previous;
                olderNewest = previousNewest;
                previous = current;
                previousNewest = currentNewest;
                current = 0;
            } else if (gap == 2) {
                older = current;
                olderNewest = currentNewest;
                previous = 0;
                current = 0;
            } else if (gap > 2) {
                // Slots three or more back end more than a window ago.
                older = 0;
                previous = 0;
                current = 0;
            }
            // A clock set back (gap below 0) adds to the current slot and keeps its newest: counted longer, never less.
            current++;
            currentNewest = Math.max(currentNewest, now);
        }

        int recent(long now, long windowMillis) {
            return live(current, currentNewest, now, windowMillis)
                    + live(previous, previousNewest, now, windowMillis)
                    + live(older, olderNewest, now, windowMillis);
        }

        private static int live(int count, long newest, long now, long windowMillis) {
            return now - newest < windowMillis ? count : 0;
        }
    }
}
