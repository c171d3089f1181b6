package dev.mecgw.app.mqtt.routing;

import dev.mecgw.app.acl.DeviceTopic;
import dev.mecgw.app.acl.Principal;
import dev.mecgw.app.mqtt.persistence.BrokerMessage;
import dev.mecgw.app.twin.TwinStore;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

/** {@code devices/{id}/twin/reported}: merges the reported state (JSON object) before acknowledging. */
public class TwinReportedRoute implements PublishRoute {

    private static final DeviceTopic TOPIC = new DeviceTopic("/twin/reported");

    private final Vertx vertx;
    private final TwinStore twins;

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
        return vertx.executeBlocking(
                () -> {
                    twins.report(deviceId, message.payload());
                    return null;
                },
                false);
    }
}
