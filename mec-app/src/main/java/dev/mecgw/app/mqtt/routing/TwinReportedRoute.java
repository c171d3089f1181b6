package dev.mecgw.app.mqtt.routing;

import dev.mecgw.app.acl.DeviceTopic;
import dev.mecgw.app.acl.Principal;
import dev.mecgw.app.mqtt.persistence.BrokerMessage;
import dev.mecgw.app.twin.TwinStore;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@code devices/{id}/twin/reported}: merges the reported state (JSON object) before acknowledging. Reports of one
 * device are merged in the order they arrived: a device that reports {@code downloaded}, {@code updating} and then its
 * result in quick succession must not end up at {@code downloaded} because two workers raced.
 */
public class TwinReportedRoute implements PublishRoute {

    private static final DeviceTopic TOPIC = new DeviceTopic("/twin/reported");

    private final Vertx vertx;
    private final TwinStore twins;
    private final Map<String, Future<Void>> tails = new ConcurrentHashMap<>();

    /** Stores reported twin state; the store is blocking JDBC, run on a worker of {@code vertx}. */
    public TwinReportedRoute(Vertx vertx, TwinStore twins) {
        this.vertx = vertx;
        this.twins = twins;
    }

    @Override
    public boolean handles(String topic) {
        return TOPIC.matches(topic);
    }

    @Override
    public Future<Void> handle(Principal publisher, BrokerMessage message) {
        String deviceId = TOPIC.deviceId(message.topic());
        Future<Void> merged = tails.compute(
                deviceId,
                (id, previous) -> (previous == null ? Future.<Void>succeededFuture() : previous)
                        .transform(ignored -> merge(deviceId, message)));
        merged.onComplete(done -> tails.remove(deviceId, merged));
        return merged;
    }

    private Future<Void> merge(String deviceId, BrokerMessage message) {
        return vertx.executeBlocking(
                () -> {
                    twins.report(deviceId, message.payload());
                    return null;
                },
                false);
    }
}
