package dev.mecgw.app.mqtt.auth;

import dev.mecgw.app.acl.Principal;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Remembers recently verified (device id, password) pairs so that reconnect storms do not each cost a
 * PBKDF2 derivation. Keys are HMAC-SHA256 under a random per-process key, so the map never holds a
 * password or anything that can be brute-forced offline without that key. Thread-safe.
 */
class VerifiedPasswordCache {

    private static final int MAX_ENTRIES = 200_000;

    private final SecretKeySpec key;
    private final long ttlNanos;
    private final LongSupplier clock;
    private final Map<String, Entry> entries = new ConcurrentHashMap<>();

    VerifiedPasswordCache(Duration ttl, LongSupplier nanoClock) {
        byte[] secret = new byte[32];
        new SecureRandom().nextBytes(secret);
        this.key = new SecretKeySpec(secret, "HmacSHA256");
        this.ttlNanos = ttl.toNanos();
        this.clock = nanoClock;
    }

    /** The principal when this exact pair was verified less than the TTL ago. */
    Principal lookup(String deviceId, String password) {
        Entry entry = entries.get(tag(deviceId, password));
        if (entry == null || clock.getAsLong() - entry.verifiedAt() > ttlNanos) {
            return null;
        }
        return entry.principal();
    }

    void remember(String deviceId, String password, Principal principal) {
        if (entries.size() >= MAX_ENTRIES) {
            // Rare; a full clear is cheaper than LRU bookkeeping on every connect.
            entries.clear();
        }
        entries.put(tag(deviceId, password), new Entry(principal, clock.getAsLong()));
    }

    /** Drops every remembered password of the device (deleted or re-keyed, issue 15.9). */
    void forget(String deviceId) {
        entries.values().removeIf(entry -> deviceId.equals(entry.principal().deviceId()));
    }

    private String tag(String deviceId, String password) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            mac.update(deviceId.getBytes(StandardCharsets.UTF_8));
            mac.update((byte) 0);
            return Base64.getEncoder().encodeToString(mac.doFinal(password.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every Java 17 runtime", e);
        }
    }

    private record Entry(Principal principal, long verifiedAt) {}
}
