package dev.mecgw.ran.nef;

import dev.mecgw.ran.callback.CallbackInbox;
import dev.mecgw.ran.transport.Backoff;
import dev.mecgw.ran.transport.NetworkApiException;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.jboss.logging.Logger;

/**
 * Keeps the site's monitoring subscriptions (LOSS_OF_CONNECTIVITY, UE_REACHABILITY, LOCATION_REPORTING for
 * the site's UE group) alive at the NEF: subscribes each with its own capability callback, extends it with
 * {@code PUT} before {@code monitorExpireTime}, and deletes them on {@link #close()}. When the NEF drops a
 * subscription (TS 29.122 clause 5.3.2.3.2: a notification with {@code cancelInd}; or 404 on the update)
 * or a call fails, the type is subscribed again after an exponential backoff that only a successful
 * renewal resets, so a NEF that keeps cancelling is not hammered.
 */
public class MonitoringSubscriptions implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(MonitoringSubscriptions.class);
    private static final List<MonitoringType> TYPES = List.of(
            MonitoringType.LOSS_OF_CONNECTIVITY, MonitoringType.UE_REACHABILITY, MonitoringType.LOCATION_REPORTING);

    /**
     * What to keep subscribed and how.
     *
     * @param externalGroupId the site's UE group at the NEF ({@code <local>@<domain>})
     * @param lifetime requested subscription lifetime; renewed at 80 % of it
     * @param retry backoff before subscribing again after a failure or a cancellation
     */
    public record Plan(String externalGroupId, Duration lifetime, Backoff retry) {}

    private final NefMonitoringEventClient client;
    private final CallbackInbox inbox;
    private final Consumer<MonitoringNotification> consumer;
    private final Plan plan;
    private final ScheduledExecutorService scheduler;
    private final Clock clock;
    private final Map<MonitoringType, Slot> slots = new ConcurrentHashMap<>();
    private volatile boolean closed;

    /** @param consumer receives each notification on the delivering thread */
    public MonitoringSubscriptions(
            NefMonitoringEventClient client,
            CallbackInbox inbox,
            Consumer<MonitoringNotification> consumer,
            Plan plan,
            ScheduledExecutorService scheduler,
            Clock clock) {
        this.client = client;
        this.inbox = inbox;
        this.consumer = consumer;
        this.plan = plan;
        this.scheduler = scheduler;
        this.clock = clock;
        TYPES.forEach(type -> slots.put(type, new Slot()));
    }

    /** Subscribes every type; returns at once, failures are retried in the background. */
    public void start() {
        TYPES.forEach(this::subscribe);
    }

    /** Number of subscriptions currently held at the NEF. */
    public int activeCount() {
        return (int) slots.values().stream()
                .filter(slot -> slot.subscription != null)
                .count();
    }

    private void subscribe(MonitoringType type) {
        if (closed) {
            return;
        }
        URI destination =
                inbox.newDestination(body -> onNotification(type, MonitoringNotification.parse(body, clock.instant())));
        client.subscribe(request(type, destination)).whenComplete((subscription, failure) -> {
            if (failure != null) {
                inbox.revoke(destination);
                retry(type, "subscription failed", failure);
                return;
            }
            Slot slot = slots.get(type);
            synchronized (slot) {
                slot.subscription = subscription;
                slot.destination = destination;
                slot.timer = schedule(() -> renew(type), renewalDelay());
            }
        });
    }

    private void renew(MonitoringType type) {
        Slot slot = slots.get(type);
        NefSubscription subscription;
        URI destination;
        synchronized (slot) {
            subscription = slot.subscription;
            destination = slot.destination;
        }
        if (subscription == null || closed) {
            return;
        }
        client.update(subscription, request(type, destination)).whenComplete((ok, failure) -> {
            if (failure == null) {
                synchronized (slot) {
                    slot.failures = 0;
                    slot.timer = schedule(() -> renew(type), renewalDelay());
                }
            } else if (unwrap(failure) instanceof NetworkApiException e && e.status() == 404) {
                dropped(type, subscription, "the NEF no longer knows the subscription");
            } else {
                synchronized (slot) {
                    slot.failures++;
                    slot.timer = schedule(() -> renew(type), plan.retry().delay(slot.failures));
                }
                LOG.warnf("%s renewal failed, retrying: %s", type, failure.getMessage());
            }
        });
    }

    private void onNotification(MonitoringType type, MonitoringNotification notification) {
        consumer.accept(notification);
        if (notification.cancelInd()) {
            Slot slot = slots.get(type);
            NefSubscription subscription;
            synchronized (slot) {
                subscription = slot.subscription;
            }
            if (subscription != null && subscription.self().equals(notification.subscription())) {
                dropped(type, subscription, "the NEF cancelled the subscription");
            }
        }
    }

    /** The NEF dropped the subscription: forget it (no DELETE) and subscribe again after the backoff. */
    private void dropped(MonitoringType type, NefSubscription subscription, String why) {
        Slot slot = slots.get(type);
        URI destination;
        synchronized (slot) {
            if (slot.subscription != subscription) {
                return;
            }
            slot.subscription = null;
            destination = slot.destination;
            slot.destination = null;
            cancelTimer(slot);
        }
        inbox.revoke(destination);
        retry(type, why, null);
    }

    private void retry(MonitoringType type, String why, Throwable failure) {
        Slot slot = slots.get(type);
        Duration wait;
        synchronized (slot) {
            slot.failures++;
            wait = plan.retry().delay(slot.failures);
            slot.timer = schedule(() -> subscribe(type), wait);
        }
        LOG.warnf(
                "%s: %s%s, subscribing again in %d ms",
                type, why, failure == null ? "" : " (" + failure.getMessage() + ")", wait.toMillis());
    }

    private MonitoringSubscriptionRequest request(MonitoringType type, URI destination) {
        return new MonitoringSubscriptionRequest(
                type, null, plan.externalGroupId(), destination, clock.instant().plus(plan.lifetime()));
    }

    private Duration renewalDelay() {
        return plan.lifetime().multipliedBy(8).dividedBy(10);
    }

    private ScheduledFuture<?> schedule(Runnable task, Duration delay) {
        if (closed) {
            return null;
        }
        return scheduler.schedule(task, delay.toMillis(), TimeUnit.MILLISECONDS);
    }

    private static void cancelTimer(Slot slot) {
        if (slot.timer != null) {
            slot.timer.cancel(false);
            slot.timer = null;
        }
    }

    private static Throwable unwrap(Throwable failure) {
        return failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
    }

    /** Deletes the subscriptions at the NEF, waiting at most 2 s. */
    @Override
    public void close() {
        closed = true;
        List<NefSubscription> held = slots.values().stream()
                .map(slot -> {
                    synchronized (slot) {
                        cancelTimer(slot);
                        if (slot.destination != null) {
                            inbox.revoke(slot.destination);
                        }
                        NefSubscription subscription = slot.subscription;
                        slot.subscription = null;
                        return subscription;
                    }
                })
                .filter(java.util.Objects::nonNull)
                .toList();
        CompletableFuture<?>[] deletions =
                held.stream().map(client::unsubscribe).toArray(CompletableFuture[]::new);
        try {
            CompletableFuture.allOf(deletions).get(2, TimeUnit.SECONDS);
        } catch (Exception e) {
            LOG.warnf("monitoring subscriptions not all deleted: %s", e.getMessage());
        }
    }

    /** One monitoring type's subscription at the NEF; guarded by its own monitor. */
    private static final class Slot {
        private NefSubscription subscription;
        private URI destination;
        private ScheduledFuture<?> timer;
        private int failures;
    }
}
