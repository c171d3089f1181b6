package dev.mecgw.ran.qos;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mecgw.ran.event.NetworkEvent;
import dev.mecgw.ran.event.NetworkEventSink;
import dev.mecgw.ran.nef.NefAsSessionWithQosClient;
import dev.mecgw.ran.nef.NefSubscription;
import dev.mecgw.ran.nef.QosSessionRequest;
import dev.mecgw.ran.transport.NetworkApiException;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * QoS on demand (issue 7): asks the NEF for an AsSessionWithQoS session for a bounded time, retries
 * transient failures with exponential backoff, releases the session when the time is up, and records each
 * step as an event. {@link #request} and {@link #keep} return at once; nothing here ever blocks ingest. One
 * demand per device: a new demand replaces the previous one; the last status stays visible until then.
 * Thread-safe.
 */
public class QosOnDemand implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(QosOnDemand.class);

    /** Mutable bookkeeping of one device's demand; guarded by its own monitor. */
    private static final class Entry {
        final QosDemand demand;
        QosStatus status;
        NefSubscription session;
        ScheduledFuture<?> timer;

        Entry(QosDemand demand, QosStatus status) {
            this.demand = demand;
            this.status = status;
        }
    }

    private final NefAsSessionWithQosClient nef;
    private final ScheduledExecutorService scheduler;
    private final NetworkEventSink events;
    private final QosPolicy policy;
    private final Supplier<URI> notificationDestination;
    private final Clock clock;
    private final Map<String, Entry> entries = new ConcurrentHashMap<>();

    /**
     * @param scheduler runs retries, releases and event recording (may block on the event sink)
     * @param notificationDestination gives the callback URI for each new session's user-plane events
     */
    public QosOnDemand(
            NefAsSessionWithQosClient nef,
            ScheduledExecutorService scheduler,
            NetworkEventSink events,
            QosPolicy policy,
            Supplier<URI> notificationDestination,
            Clock clock) {
        this.nef = nef;
        this.scheduler = scheduler;
        this.events = events;
        this.policy = policy;
        this.notificationDestination = notificationDestination;
        this.clock = clock;
    }

    /**
     * Starts a demand; returns its initial status at once.
     *
     * @return status {@link QosStatus.State#REQUESTED}; follow it with {@link #status}
     */
    public QosStatus request(QosDemand demand) {
        Entry entry = newEntry(demand);
        return start(entry, entries.put(demand.deviceId(), entry));
    }

    /**
     * Keeps QoS for a rule that fires again and again (issue 7): when the device already has a live demand
     * (requested, retrying or active) for the same QoS reference and UE address, its end moves to now + duration and no
     * second session is asked for. When its last demand for that reference was refused, failed or released
     * before its end, nothing is asked until that end has passed, so a refusing network is not asked once
     * per event. Otherwise it starts a new demand, as {@link #request}. Returns at once.
     *
     * @return the status of the demand that now covers the device
     */
    public QosStatus keep(QosDemand demand) {
        Entry[] previous = new Entry[1];
        boolean[] created = new boolean[1];
        Entry entry = entries.compute(demand.deviceId(), (id, current) -> {
            if (current != null && covers(current, demand)) {
                return current;
            }
            previous[0] = current;
            created[0] = true;
            return newEntry(demand);
        });
        return created[0] ? start(entry, previous[0]) : snapshot(entry);
    }

    /** Whether a repeat of {@code demand} is covered by {@code current}; extends {@code current} when live. */
    private boolean covers(Entry current, QosDemand demand) {
        if (!current.demand.qosReference().equals(demand.qosReference())
                || !current.demand.ueIpv4().equals(demand.ueIpv4())) {
            // Another profile, or the UE came back with a new address: the old session no longer fits.
            return false;
        }
        synchronized (current) {
            Instant now = clock.instant();
            if (terminal(current.status)) {
                return now.isBefore(current.status.expiresAt());
            }
            Instant end = now.plus(capped(demand.duration()));
            if (end.isAfter(current.status.expiresAt())) {
                // The release timer is not moved; it looks at expiresAt when it fires (see expire).
                current.status = current.status.until(end);
            }
            return true;
        }
    }

    private Entry newEntry(QosDemand demand) {
        return new Entry(
                demand,
                new QosStatus(
                        demand.deviceId(),
                        demand.qosReference(),
                        QosStatus.State.REQUESTED,
                        0,
                        null,
                        clock.instant().plus(capped(demand.duration()))));
    }

    private QosStatus start(Entry entry, Entry previous) {
        if (previous != null) {
            release(previous, "replaced");
        }
        QosStatus initial = snapshot(entry);
        scheduler.execute(() -> attempt(entry));
        return initial;
    }

    private Duration capped(Duration duration) {
        return duration.compareTo(policy.maxDuration()) > 0 ? policy.maxDuration() : duration;
    }

    private static QosStatus snapshot(Entry entry) {
        synchronized (entry) {
            return entry.status;
        }
    }

    /** The current status of a device's demand, if it has one. */
    public Optional<QosStatus> status(String deviceId) {
        Entry entry = entries.get(deviceId);
        if (entry == null) {
            return Optional.empty();
        }
        synchronized (entry) {
            return Optional.of(entry.status);
        }
    }

    /** Releases a device's QoS now; false when it had no demand. The final status stays visible. */
    public boolean release(String deviceId) {
        Entry entry = entries.get(deviceId);
        if (entry == null) {
            return false;
        }
        release(entry, "released on request");
        return true;
    }

    /**
     * Applies a TS 29.122 {@code UserPlaneNotificationData}: SESSION_TERMINATION or a failed allocation
     * ends the session on our side too.
     *
     * @throws IllegalArgumentException when {@code transaction} is missing
     */
    public void onUserPlaneNotification(JsonNode body) {
        String transaction = body.path("transaction").asText(null);
        if (transaction == null) {
            throw new IllegalArgumentException("transaction is required");
        }
        for (JsonNode report : body.path("eventReports")) {
            String event = report.path("event").asText();
            if (event.equals("SESSION_TERMINATION") || event.equals("FAILED_RESOURCES_ALLOCATION")) {
                entries.values().stream()
                        .filter(e ->
                                e.session != null && e.session.self().toString().equals(transaction))
                        .forEach(e -> ended(e, event));
            }
        }
    }

    private void attempt(Entry entry) {
        synchronized (entry) {
            if (terminal(entry.status)) {
                return;
            }
            if (entries.get(entry.demand.deviceId()) != entry || clock.instant().isAfter(entry.status.expiresAt())) {
                lapse(entry);
                return;
            }
            entry.status =
                    entry.status.with(entry.status.state(), entry.status.attempts() + 1, entry.status.lastError());
        }
        QosDemand d = entry.demand;
        nef.create(new QosSessionRequest(
                        d.ueIpv4(), d.flowDescriptions(), d.qosReference(), notificationDestination.get()))
                .whenComplete((session, failure) -> {
                    if (failure == null) {
                        granted(entry, session);
                    } else {
                        failed(entry, failure instanceof CompletionException ? failure.getCause() : failure);
                    }
                });
    }

    private void granted(Entry entry, NefSubscription session) {
        synchronized (entry) {
            if (entries.get(entry.demand.deviceId()) != entry || terminal(entry.status)) {
                // Replaced or released while the request was in flight: give the session back.
                nef.delete(session);
                return;
            }
            entry.session = session;
            entry.status = entry.status.with(QosStatus.State.ACTIVE, entry.status.attempts(), null);
            scheduleExpiry(entry);
        }
        record(entry, "ran.qos.granted", "info", null);
    }

    /** Caller holds the entry's monitor. */
    private void scheduleExpiry(Entry entry) {
        long delay = Math.max(
                0, Duration.between(clock.instant(), entry.status.expiresAt()).toMillis());
        entry.timer = scheduler.schedule(() -> expire(entry), delay, TimeUnit.MILLISECONDS);
    }

    /** Releases when the time is up, or waits on when {@link #keep} moved the end meanwhile. */
    private void expire(Entry entry) {
        synchronized (entry) {
            if (terminal(entry.status)) {
                return;
            }
            if (clock.instant().isBefore(entry.status.expiresAt())) {
                scheduleExpiry(entry);
                return;
            }
        }
        release(entry, "time is up");
    }

    private void failed(Entry entry, Throwable failure) {
        NetworkApiException api = failure instanceof NetworkApiException e
                ? e
                : new NetworkApiException(0, null, String.valueOf(failure.getMessage()));
        synchronized (entry) {
            int attempts = entry.status.attempts();
            if (api.retryable() && attempts < policy.maxAttempts()) {
                entry.status = entry.status.with(QosStatus.State.RETRYING, attempts, api.getMessage());
                entry.timer = scheduler.schedule(
                        () -> attempt(entry), policy.backoff(attempts + 1).toMillis(), TimeUnit.MILLISECONDS);
                return;
            }
            entry.status = entry.status.with(
                    api.retryable() ? QosStatus.State.FAILED : QosStatus.State.REFUSED, attempts, api.getMessage());
        }
        record(entry, api.retryable() ? "ran.qos.failed" : "ran.qos.refused", "warning", api.getMessage());
    }

    private void release(Entry entry, String why) {
        NefSubscription session;
        synchronized (entry) {
            if (entry.timer != null) {
                entry.timer.cancel(false);
            }
            session = entry.session;
            entry.session = null;
            if (terminal(entry.status)) {
                return;
            }
            entry.status = entry.status.with(QosStatus.State.RELEASED, entry.status.attempts(), null);
        }
        if (session != null) {
            nef.delete(session).whenComplete((ok, failure) -> {
                if (failure != null) {
                    LOG.warnf("QoS session of %s not released: %s", entry.demand.deviceId(), failure.getMessage());
                }
            });
        }
        record(entry, "ran.qos.released", "info", why);
    }

    private void ended(Entry entry, String event) {
        synchronized (entry) {
            entry.session = null;
        }
        release(entry, "network: " + event);
    }

    private void lapse(Entry entry) {
        entry.status = entry.status.with(QosStatus.State.FAILED, entry.status.attempts(), "demand lapsed");
    }

    private static boolean terminal(QosStatus status) {
        return status.state() == QosStatus.State.REFUSED
                || status.state() == QosStatus.State.FAILED
                || status.state() == QosStatus.State.RELEASED;
    }

    private void record(Entry entry, String kind, String severity, String detail) {
        QosStatus status;
        synchronized (entry) {
            status = entry.status;
        }
        Map<String, String> payload = detail == null
                ? Map.of("qosReference", status.qosReference(), "attempts", Integer.toString(status.attempts()))
                : Map.of(
                        "qosReference",
                        status.qosReference(),
                        "attempts",
                        Integer.toString(status.attempts()),
                        "detail",
                        detail);
        NetworkEvent event = new NetworkEvent(status.deviceId(), kind, severity, clock.instant(), payload);
        scheduler.execute(() -> {
            try {
                events.record(event);
            } catch (RuntimeException e) {
                LOG.errorf("cannot record %s for %s: %s", kind, status.deviceId(), e.getMessage());
            }
        });
    }

    @Override
    public void close() {
        entries.values().forEach(entry -> release(entry, "gateway stopping"));
    }
}
