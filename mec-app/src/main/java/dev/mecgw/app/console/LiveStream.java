package dev.mecgw.app.console;

import io.smallrye.mutiny.subscription.MultiEmitter;
import jakarta.ws.rs.sse.OutboundSseEvent;
import jakarta.ws.rs.sse.Sse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One open server-sent-event connection of a console page (issue 19). Its memory is bounded: the emitter drops
 * what the client cannot take now (nothing queues behind a slow browser) and the stream remembers only a
 * fingerprint of the last data of each of its few event names, to send a region again only when it changed.
 * Thread-safe.
 */
public final class LiveStream {

    private final String session;
    private final MultiEmitter<? super OutboundSseEvent> emitter;
    private final Sse sse;
    private final LiveRegion region;
    private final Map<String, String> lastSent = new ConcurrentHashMap<>();
    private final AtomicBoolean refreshing = new AtomicBoolean();

    LiveStream(String session, MultiEmitter<? super OutboundSseEvent> emitter, Sse sse, LiveRegion region) {
        this.session = session;
        this.emitter = emitter;
        this.sse = sse;
        this.region = region;
    }

    /** Sends one event; dropped when the client has not taken the previous one yet. */
    public void send(String name, String data) {
        if (!emitter.isCancelled()) {
            emitter.emit(sse.newEventBuilder().name(name).data(data).build());
        }
    }

    /**
     * Tells the stream what its page shows: the fingerprint ({@link #fingerprint}) of the region the page was rendered
     * with, so that the first refresh sends only if the region changed since. Without it the first refresh sends:
     * a change between the page's render and the stream's first refresh (a second or more on a loaded gateway, and
     * the whole outage when the browser reconnects) must not wait for a later change to show.
     *
     * @param shown the page's fingerprint; null or blank when the page did not say
     */
    public void shown(String name, String shown) {
        if (shown != null && !shown.isBlank()) {
            lastSent.putIfAbsent(name, shown);
        }
    }

    /** Sends the event unless the last one of that name (or what the page showed) carried the same data. */
    public void sendIfChanged(String name, String data) {
        String current = fingerprint(data);
        if (!current.equals(lastSent.put(name, current))) {
            send(name, data);
        }
    }

    /** A short digest of a region's data (SHA-256, 128 bits, URL-safe), for {@link #shown} and the page's link. */
    public static String fingerprint(String data) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(data.getBytes(StandardCharsets.UTF_8));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(Arrays.copyOf(digest, 16));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }

    String session() {
        return session;
    }

    boolean closed() {
        return emitter.isCancelled();
    }

    /** Runs the stream's refresh unless the previous one is still running (a slow query never piles up). */
    void refresh() {
        if (refreshing.compareAndSet(false, true)) {
            try {
                region.refresh(this);
            } finally {
                refreshing.set(false);
            }
        }
    }

    /** Tells the page its session is over, then ends the stream. */
    void expire() {
        send(LiveStreams.EXPIRED, "/console/login");
        close();
    }

    void close() {
        emitter.complete();
    }
}
