package dev.mecgw.app.mqtt.session;

import dev.mecgw.app.mqtt.persistence.BrokerMessage;
import io.vertx.core.Vertx;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * MQTT 5 Will Delay Interval (section 3.1.3.2.2): a will waits until its delay passes or its session
 * ends, whichever comes first, and is never sent if the client reconnects to the session in time.
 * Broker event loop only.
 */
final class DelayedWills {

    private final Vertx vertx;
    private final Consumer<BrokerMessage> publisher;
    private final Map<MqttSession, Pending> pending = new HashMap<>();

    DelayedWills(Vertx vertx, Consumer<BrokerMessage> publisher) {
        this.vertx = vertx;
        this.publisher = publisher;
    }

    /**
     * Holds a will back.
     *
     * @param will builds the message when it is sent, so that its message expiry starts then
     */
    void schedule(MqttSession session, Supplier<BrokerMessage> will, long delayMillis) {
        cancel(session);
        long timer = vertx.setTimer(Math.max(1, delayMillis), id -> {
            if (pending.remove(session) != null) {
                publisher.accept(will.get());
            }
        });
        pending.put(session, new Pending(will, timer));
    }

    /** The client reconnected to its session in time: the will is dropped. */
    void cancel(MqttSession session) {
        Pending p = pending.remove(session);
        if (p != null) {
            vertx.cancelTimer(p.timer());
        }
    }

    /** The session ended (expiry, clean start, takeover by another device): a waiting will goes out now. */
    void sessionEnded(MqttSession session) {
        Pending p = pending.remove(session);
        if (p != null) {
            vertx.cancelTimer(p.timer());
            publisher.accept(p.will().get());
        }
    }

    int size() {
        return pending.size();
    }

    private record Pending(Supplier<BrokerMessage> will, long timer) {}
}
