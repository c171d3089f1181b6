package dev.mecgw.ran.nef;

import dev.mecgw.ran.callback.CallbackInbox;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.jboss.logging.Logger;

/**
 * Keeps the site's monitoring subscriptions (LOSS_OF_CONNECTIVITY, UE_REACHABILITY, LOCATION_REPORTING for
 * the site's UE group) alive at the NEF: subscribes each with its own capability callback, re-subscribes
 * before {@code monitorExpireTime} and after failures, and deletes them on {@link #close()}.
 */
public class MonitoringSubscriptions implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(MonitoringSubscriptions.class);
    private static final List<MonitoringType> TYPES = List.of(MonitoringType.LOSS_OF_CONNECTIVITY,
            MonitoringType.UE_REACHABILITY, MonitoringType.LOCATION_REPORTING);

    private final NefMonitoringEventClient client;
    private final CallbackInbox inbox;
    private final Consumer<MonitoringNotification> consumer;
    private final String externalGroupId;
    private final Duration lifetime;
    private final ScheduledExecutorService scheduler;
    private final Clock clock;
    private final Map<MonitoringType, NefSubscription> active = new ConcurrentHashMap<>();
    private final Map<MonitoringType, URI> destinations = new ConcurrentHashMap<>();
    private volatile boolean closed;

    /**
     * @param externalGroupId the site's UE group at the NEF ({@code <local>@<domain>})
     * @param lifetime requested subscription lifetime; renewed at 80 % of it
     * @param consumer receives each notification on the delivering thread
     */
    public MonitoringSubscriptions(NefMonitoringEventClient client, CallbackInbox inbox,
            Consumer<MonitoringNotification> consumer, String externalGroupId, Duration lifetime,
            ScheduledExecutorService scheduler, Clock clock) {
        this.client = client;
        this.inbox = inbox;
        this.consumer = consumer;
        this.externalGroupId = externalGroupId;
        this.lifetime = lifetime;
        this.scheduler = scheduler;
        this.clock = clock;
    }

    /** Subscribes every type; returns at once, failures are retried in the background. */
    public void start() {
        TYPES.forEach(this::subscribe);
    }

    /** Number of subscriptions currently held at the NEF. */
    public int activeCount() {
        return active.size();
    }

    private void subscribe(MonitoringType type) {
        if (closed) {
            return;
        }
        URI destination = inbox.newDestination(body -> consumer.accept(MonitoringNotification.parse(body,
                clock.instant())));
        Instant expiry = clock.instant().plus(lifetime);
        client.subscribe(new MonitoringSubscriptionRequest(type, null, externalGroupId, destination, expiry))
                .whenComplete((subscription, failure) -> {
                    if (failure != null) {
                        inbox.revoke(destination);
                        LOG.warnf("%s subscription failed, retrying in 30 s: %s", type, failure.getMessage());
                        scheduler.schedule(() -> subscribe(type), 30, TimeUnit.SECONDS);
                        return;
                    }
                    replace(type, subscription, destination);
                    scheduler.schedule(() -> subscribe(type), lifetime.toMillis() * 8 / 10, TimeUnit.MILLISECONDS);
                });
    }

    private void replace(MonitoringType type, NefSubscription subscription, URI destination) {
        NefSubscription previous = active.put(type, subscription);
        URI previousDestination = destinations.put(type, destination);
        if (previous != null) {
            client.unsubscribe(previous);
        }
        if (previousDestination != null) {
            inbox.revoke(previousDestination);
        }
    }

    /** Deletes the subscriptions at the NEF, waiting at most 2 s. */
    @Override
    public void close() {
        closed = true;
        CompletableFuture<?>[] deletions = active.values().stream().map(client::unsubscribe)
                .toArray(CompletableFuture[]::new);
        try {
            CompletableFuture.allOf(deletions).get(2, TimeUnit.SECONDS);
        } catch (Exception e) {
            LOG.warnf("monitoring subscriptions not all deleted: %s", e.getMessage());
        }
        active.clear();
        destinations.values().forEach(inbox::revoke);
    }
}
