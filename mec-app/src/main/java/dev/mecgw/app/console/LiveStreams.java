package dev.mecgw.app.console;

import dev.mecgw.app.gateway.DaemonThreads;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.subscription.BackPressureStrategy;
import jakarta.ws.rs.sse.OutboundSseEvent;
import jakarta.ws.rs.sse.Sse;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * The console's live regions over server-sent events (issue 19): htmx's SSE extension connects a page region to a
 * stream here, and every {@code period} each stream checks that its session still exists (a stream of an expired
 * or deleted session gets {@value #EXPIRED} and ends) and refreshes its region. Logout ends the session's streams
 * at once. A session holds at most {@code perSession} streams (the oldest is closed beyond), the gateway at most
 * {@code total}; refreshes run on two workers with a short queue, skipped rather than queued when it is full.
 * Thread-safe.
 */
public final class LiveStreams implements AutoCloseable {

    /** The event that tells a page its session is over; its data is the login page. */
    public static final String EXPIRED = "expired";

    private static final Logger LOG = Logger.getLogger(LiveStreams.class);

    private final ConsoleAccess access;
    private final int perSession;
    private final int total;
    private final Map<String, Deque<LiveStream>> bySession = new ConcurrentHashMap<>();
    private final ScheduledExecutorService ticker;
    private final ThreadPoolExecutor workers;

    public LiveStreams(ConsoleAccess access, Duration period, int perSession, int total) {
        this.access = access;
        this.perSession = perSession;
        this.total = total;
        this.ticker = Executors.newSingleThreadScheduledExecutor(DaemonThreads.named("mecgw-console-live-tick"));
        this.workers = new ThreadPoolExecutor(
                2,
                2,
                0,
                TimeUnit.MILLISECONDS,
                new ArrayBlockingQueue<>(64),
                DaemonThreads.named("mecgw-console-live"),
                new ThreadPoolExecutor.DiscardPolicy());
        long millis = period.toMillis();
        ticker.scheduleWithFixedDelay(this::tick, millis, millis, TimeUnit.MILLISECONDS);
    }

    /**
     * Opens a stream for a page of the session with this cookie token.
     *
     * @param token the session cookie's token (already checked by the console's filter)
     * @param sse the request's event builder
     * @param region what the stream shows
     */
    public Multi<OutboundSseEvent> open(String token, Sse sse, LiveRegion region) {
        return Multi.createFrom()
                .emitter(
                        emitter -> {
                            LiveStream stream = new LiveStream(token, emitter, sse, region);
                            emitter.onTermination(() -> {
                                forget(stream);
                                region.closed(stream);
                            });
                            if (count() >= total) {
                                LOG.debugf("Console live streams at the limit of %d; one refused", total);
                                stream.close();
                                return;
                            }
                            LiveStream[] oldest = new LiveStream[1];
                            // compute() is atomic per session, so a stream never lands in a list that logout has just
                            // removed.
                            bySession.compute(token, (t, streams) -> {
                                Deque<LiveStream> open = streams == null ? new ArrayDeque<>() : streams;
                                open.addLast(stream);
                                oldest[0] = open.size() > perSession ? open.pollFirst() : null;
                                return open;
                            });
                            if (oldest[0] != null) {
                                oldest[0].close();
                            }
                            region.opened(stream);
                            workers.execute(stream::refresh);
                        },
                        BackPressureStrategy.DROP);
    }

    /** Ends every stream of the session (logout). */
    public void closeSession(String token) {
        Deque<LiveStream> streams = token == null ? null : bySession.remove(token);
        if (streams != null) {
            // Removed from the map, so no other thread touches the list any more.
            List.copyOf(streams).forEach(LiveStream::close);
        }
    }

    /** Open streams, all sessions together. */
    public int count() {
        int[] count = {0};
        bySession.keySet().forEach(token -> snapshot(token).ifPresent(s -> count[0] += s.size()));
        return count[0];
    }

    @Override
    public void close() {
        ticker.shutdownNow();
        workers.shutdownNow();
        List.copyOf(bySession.keySet()).forEach(this::closeSession);
    }

    private void tick() {
        try {
            for (String token : List.copyOf(bySession.keySet())) {
                List<LiveStream> streams = snapshot(token).orElse(List.of());
                if (streams.isEmpty()) {
                    continue;
                }
                if (access.session(token).isEmpty()) {
                    bySession.remove(token);
                    streams.forEach(LiveStream::expire);
                } else {
                    streams.forEach(s -> workers.execute(s::refresh));
                }
            }
        } catch (RuntimeException e) {
            // The next tick tries again (e.g. the database was briefly unavailable).
            LOG.debugf("Console live refresh failed: %s", e.getMessage());
        }
    }

    private void forget(LiveStream stream) {
        bySession.computeIfPresent(stream.session(), (t, streams) -> {
            streams.remove(stream);
            return streams.isEmpty() ? null : streams;
        });
    }

    private Optional<List<LiveStream>> snapshot(String token) {
        List<List<LiveStream>> copy = new ArrayList<>(1);
        bySession.computeIfPresent(token, (t, streams) -> {
            copy.add(List.copyOf(streams));
            return streams;
        });
        return copy.stream().findFirst();
    }
}
