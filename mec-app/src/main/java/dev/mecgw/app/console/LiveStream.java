package dev.mecgw.app.console;

import io.smallrye.mutiny.subscription.MultiEmitter;
import jakarta.ws.rs.sse.OutboundSseEvent;
import jakarta.ws.rs.sse.Sse;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One open server-sent-event connection of a console page (issue 19). Its memory is bounded: the emitter drops
 * what the client cannot take now (nothing queues behind a slow browser) and the stream remembers only the last
 * data of each of its few event names, to send a region again only when it changed. Thread-safe.
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
     * Sends the event unless the last one of that name carried the same data. The first data of a name is only
     * remembered: the page was rendered with it a moment ago, and swapping a region for itself would only replace
     * the elements under the user's pointer (a change in between shows with the next one).
     */
    public void sendIfChanged(String name, String data) {
        String previous = lastSent.put(name, data);
        if (previous != null && !previous.equals(data)) {
            send(name, data);
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
