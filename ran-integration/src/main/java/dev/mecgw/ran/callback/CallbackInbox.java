package dev.mecgw.ran.callback;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * Our authenticated callback endpoint for network notifications (NEF and MEC), transport-free. Neither
 * TS 29.122 nor MEC 011/012 fixes how a notification proves its origin; the gateway gives each subscription
 * its own capability URI {@code <base>/<callbackId>/<token>} with 256 random bits, compared in constant
 * time, so only the party that received that URI in a subscription request (the NEF or MEC platform) can
 * deliver to it. Use HTTPS for the base so the token stays secret on the wire. Threads: any.
 */
public class CallbackInbox {

    /** What the HTTP layer answers: 204, 400, or 404 (also for a wrong token, to give nothing away). */
    public enum Outcome {
        ACCEPTED,
        MALFORMED,
        UNKNOWN
    }

    private record Destination(byte[] token, Consumer<JsonNode> handler) {}

    private final java.util.function.Supplier<URI> base;
    private final SecureRandom random = new SecureRandom();
    private final Map<String, Destination> destinations = new ConcurrentHashMap<>();

    /**
     * @param base externally reachable base URI of the callback resource, e.g.
     *     {@code https://gw.site:8443/ran/callbacks}
     */
    public CallbackInbox(URI base) {
        this(() -> base);
    }

    /**
     * @param base gives the base URI when a destination is made; for a listener whose port is known only
     *     once it is bound
     */
    public CallbackInbox(java.util.function.Supplier<URI> base) {
        this.base = () -> URI.create(base.get().toString().replaceAll("/+$", "") + "/");
    }

    /**
     * Creates a fresh capability URI.
     *
     * @param handler receives each accepted body on the calling thread; throws {@link IllegalArgumentException}
     *     for a malformed body; must not block long
     */
    public URI newDestination(Consumer<JsonNode> handler) {
        String callbackId = randomText(9);
        String token = randomText(32);
        destinations.put(callbackId, new Destination(token.getBytes(StandardCharsets.US_ASCII), handler));
        return base.get().resolve(callbackId + "/" + token);
    }

    /** Forgets a destination so that later notifications to it are refused. */
    public void revoke(URI destination) {
        destinations.remove(pathOf(destination).split("/")[0]);
    }

    /**
     * Handles one notification.
     *
     * @param callbackId first path segment after the base
     * @param token second path segment
     * @param body the JSON body, may be null
     * @return what to answer; the handler ran (and accepted the body) only for {@link Outcome#ACCEPTED}
     */
    public Outcome accept(String callbackId, String token, JsonNode body) {
        Destination destination = callbackId == null ? null : destinations.get(callbackId);
        if (destination == null
                || token == null
                || !MessageDigest.isEqual(destination.token(), token.getBytes(StandardCharsets.US_ASCII))) {
            return Outcome.UNKNOWN;
        }
        try {
            destination.handler().accept(body == null ? MissingNode.getInstance() : body);
            return Outcome.ACCEPTED;
        } catch (IllegalArgumentException e) {
            return Outcome.MALFORMED;
        }
    }

    /** The path below the base of a destination, {@code <callbackId>/<token>}; for tests and logging-free routing. */
    public String relativePath(URI destination) {
        return pathOf(destination);
    }

    private static String pathOf(URI destination) {
        // The last two segments are <callbackId>/<token>, whatever the base was when it was made.
        String[] segments = destination.getPath().split("/");
        return segments.length < 2 ? "" : segments[segments.length - 2] + "/" + segments[segments.length - 1];
    }

    private String randomText(int bytes) {
        byte[] value = new byte[bytes];
        random.nextBytes(value);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(value);
    }
}
