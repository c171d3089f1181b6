package dev.mecgw.ran.nef;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * Our authenticated callback endpoint for NEF notifications, transport-free. TS 29.122 leaves the
 * authentication of notifications to deployment; the gateway gives each subscription its own capability URI
 * {@code <base>/<callbackId>/<token>} with 256 random bits, compared in constant time, so a notification is
 * accepted only from whoever received that subscription's URI (the NEF). Threads: any.
 */
public class MonitoringCallbacks {

    /** What the HTTP layer answers: 204, 400 or 404 (404 also for a bad token, to give nothing away). */
    public enum Outcome { ACCEPTED, MALFORMED, UNKNOWN }

    private final URI base;
    private final Consumer<MonitoringNotification> consumer;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();
    private final Map<String, byte[]> tokens = new ConcurrentHashMap<>();

    /**
     * @param base externally reachable base URI of the callback resource, e.g. {@code https://gw:8443/ran/callbacks/nef}
     * @param consumer receives each accepted notification on the calling thread; must not block long
     * @param clock time of arrival for reports without {@code eventTime}
     */
    public MonitoringCallbacks(URI base, Consumer<MonitoringNotification> consumer, Clock clock) {
        this.base = URI.create(base.toString().replaceAll("/+$", "") + "/");
        this.consumer = consumer;
        this.clock = clock;
    }

    /** Creates a fresh capability URI for one subscription. */
    public URI newDestination() {
        String callbackId = randomText(9);
        String token = randomText(32);
        tokens.put(callbackId, token.getBytes(StandardCharsets.US_ASCII));
        return base.resolve(callbackId + "/" + token);
    }

    /** Forgets a destination so that later notifications to it are refused. */
    public void revoke(URI destination) {
        String[] parts = base.relativize(destination).getPath().split("/");
        tokens.remove(parts[0]);
    }

    /**
     * Handles one notification.
     *
     * @param callbackId first path segment after the base
     * @param token second path segment
     * @param body the JSON body, may be null
     * @return what to answer; the consumer ran only for {@link Outcome#ACCEPTED}
     */
    public Outcome accept(String callbackId, String token, JsonNode body) {
        byte[] expected = callbackId == null ? null : tokens.get(callbackId);
        if (expected == null || token == null
                || !MessageDigest.isEqual(expected, token.getBytes(StandardCharsets.US_ASCII))) {
            return Outcome.UNKNOWN;
        }
        MonitoringNotification notification;
        try {
            notification = MonitoringNotification.parse(body == null ? com.fasterxml.jackson.databind.node
                    .MissingNode.getInstance() : body, clock.instant());
        } catch (IllegalArgumentException e) {
            return Outcome.MALFORMED;
        }
        if (notification.cancelInd()) {
            tokens.remove(callbackId);
        }
        consumer.accept(notification);
        return Outcome.ACCEPTED;
    }

    private String randomText(int bytes) {
        byte[] value = new byte[bytes];
        random.nextBytes(value);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(value);
    }
}
