package dev.mecgw.app.coap;

import dev.mecgw.app.events.RejectedPayloadEvents;
import dev.mecgw.app.problem.ErrorKind;
import dev.mecgw.app.problem.GatewayException;
import dev.mecgw.app.registry.DeviceRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import org.jboss.logging.Logger;

/**
 * What the CoAP front-end needs from the registry and the event log, kept off Californium's threads:
 * presence (online/last-seen written at most every {@link #PRESENCE_WRITE_INTERVAL} per device, offline
 * after the configured timeout), whether an unauthenticated device id is registered (cached), and events
 * for rejected messages (aggregated per device and minute by {@link RejectedPayloadEvents}, as for MQTT: issue 14
 * item 10). Every database call runs on the worker executor.
 */
class CoapDevices {

    /** Presence is written at most this often per device; last-seen is accurate to this interval. */
    static final Duration PRESENCE_WRITE_INTERVAL = Duration.ofSeconds(30);

    private static final Duration REGISTERED_TTL = Duration.ofSeconds(60);
    private static final Logger LOG = Logger.getLogger(CoapDevices.class);

    private final DeviceRegistry registry;
    private final RejectedPayloadEvents rejections;
    private final ExecutorService workers;
    private final Duration presenceTimeout;
    private final Map<String, Presence> presence = new ConcurrentHashMap<>();
    private final Map<String, Instant> registered = new ConcurrentHashMap<>();

    public CoapDevices(
            DeviceRegistry registry,
            RejectedPayloadEvents rejections,
            ExecutorService workers,
            Duration presenceTimeout) {
        this.registry = registry;
        this.rejections = rejections;
        this.workers = workers;
        this.presenceTimeout = presenceTimeout;
    }

    /** Marks a device as heard from now; writes presence when it was offline or the last write is old. */
    public void seen(String deviceId, Instant at) {
        Presence previous = presence.get(deviceId);
        if (previous != null && Duration.between(previous.written, at).compareTo(PRESENCE_WRITE_INTERVAL) < 0) {
            // Once per message: update in place rather than allocate and re-insert.
            previous.lastSeen = at;
            return;
        }
        presence.put(deviceId, new Presence(at, at));
        run(() -> registry.updatePresence(deviceId, true, at));
    }

    /** Marks devices not heard from within the presence timeout as offline; called periodically. */
    public void expire(Instant now) {
        presence.forEach((id, p) -> {
            if (Duration.between(p.lastSeen, now).compareTo(presenceTimeout) > 0 && presence.remove(id, p)) {
                run(() -> registry.updatePresence(id, false, p.lastSeen));
            }
        });
    }

    /** Completes when the device is registered, fails NOT_FOUND-as-UNAUTHORIZED when it is not. */
    public CompletionStage<Void> requireRegistered(String deviceId) {
        Instant known = registered.get(deviceId);
        if (known != null && known.isAfter(Instant.now())) {
            return CompletableFuture.completedFuture(null);
        }
        return supply(() -> {
            if (registry.find(deviceId).isEmpty()) {
                // Unauthorized, not 4.04: an unauthenticated peer must not probe the registry.
                throw new GatewayException(ErrorKind.UNAUTHORIZED, "unknown device");
            }
            registered.put(deviceId, Instant.now().plus(REGISTERED_TTL));
            return null;
        });
    }

    /**
     * Counts a rejected message; one {@code coap.rejected} event per device and minute carries the count and the
     * first reason. Never blocks: a device sending garbage at line rate must not flood the replicated event table
     * nor the worker pool.
     */
    public void rejected(String deviceId, String reason, int bytes) {
        rejections.rejected(deviceId, "coap.rejected", "coap", reason, bytes);
    }

    /** Runs blocking work on the worker executor. */
    public <T> CompletionStage<T> supply(java.util.function.Supplier<T> work) {
        try {
            return CompletableFuture.supplyAsync(work, workers);
        } catch (RejectedExecutionException e) {
            return CompletableFuture.failedFuture(new GatewayException(ErrorKind.UNAVAILABLE, "gateway busy"));
        }
    }

    private void run(Runnable work) {
        try {
            workers.execute(() -> {
                try {
                    work.run();
                } catch (RuntimeException e) {
                    LOG.debugf("CoAP background write failed: %s", e.getMessage());
                }
            });
        } catch (RejectedExecutionException e) {
            LOG.debug("CoAP worker queue full; presence/event write skipped");
        }
    }

    /** When a device was last heard from and when that was last written to the registry. */
    private static final class Presence {
        volatile Instant lastSeen;
        final Instant written;

        Presence(Instant lastSeen, Instant written) {
            this.lastSeen = lastSeen;
            this.written = written;
        }
    }
}
