package dev.mecgw.app.mqtt.session;

import dev.mecgw.app.mqtt.delivery.OutboundQueue;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Backpressure for one connected subscriber (issue #3): once its queue reaches the high watermark, the
 * connections that publish to it stop reading ({@link PublisherFlow}) until the queue drains to the low
 * watermark, so a connected subscriber loses nothing to drop-oldest. A subscriber that stays congested
 * longer than the stall limit is given up on: its publishers resume (before their keep-alive runs out)
 * and its bounded queue drops oldest, like an offline session's, until it drains again.
 * Broker event loop only.
 */
final class SubscriberCongestion {

    private final Vertx vertx;
    private final long stallMillis;
    private final BrokerMetrics metrics;
    private final Set<PublisherFlow> waiting = new LinkedHashSet<>();
    private long stallTimer = -1;
    private boolean givenUp;

    SubscriberCongestion(Vertx vertx, long stallMillis, BrokerMetrics metrics) {
        this.vertx = vertx;
        this.stallMillis = stallMillis;
        this.metrics = metrics;
    }

    /** Pauses {@code publisher} when the queue is past its high watermark. */
    void holdIfCongested(OutboundQueue queue, PublisherFlow publisher) {
        if (givenUp || !queue.aboveHighWatermark() || !publisher.blockOn(this)) {
            return;
        }
        waiting.add(publisher);
        if (stallTimer < 0) {
            stallTimer = vertx.setTimer(stallMillis, id -> {
                stallTimer = -1;
                givenUp = true;
                metrics.subscriberStalled();
                releaseAll();
            });
        }
    }

    /** Resumes the waiting publishers once the queue is down to its low watermark. */
    void drained(OutboundQueue queue) {
        if (queue.belowLowWatermark()) {
            givenUp = false;
            releaseAll();
        }
    }

    /** Resumes every waiting publisher (the subscriber drained, went offline or its session ended). */
    void releaseAll() {
        cancelStallTimer();
        if (waiting.isEmpty()) {
            return;
        }
        List<PublisherFlow> resumed = new ArrayList<>(waiting);
        waiting.clear();
        resumed.forEach(p -> p.unblock(this));
    }

    /** A publisher resumed on its own (closed, or needed to read acknowledgements). */
    void forget(PublisherFlow publisher) {
        waiting.remove(publisher);
        if (waiting.isEmpty()) {
            cancelStallTimer();
        }
    }

    private void cancelStallTimer() {
        if (stallTimer >= 0) {
            vertx.cancelTimer(stallTimer);
            stallTimer = -1;
        }
    }
}
