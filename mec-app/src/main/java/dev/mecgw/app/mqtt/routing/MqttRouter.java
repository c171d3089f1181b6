package dev.mecgw.app.mqtt.routing;

import dev.mecgw.app.acl.Principal;
import dev.mecgw.app.mqtt.persistence.BrokerMessage;
import io.vertx.core.Future;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Maps a topic to the first route that handles it; unrouted topics are only relayed. */
public class MqttRouter {

    private final List<PublishRoute> routes;

    /** Routes in order; the first that handles a topic owns it, other topics are only relayed. */
    public MqttRouter(List<PublishRoute> routes) {
        this.routes = new CopyOnWriteArrayList<>(routes);
    }

    /**
     * Adds a route owned by another area (the Sparkplug host, issue 21.3) after the built-in ones; call before the
     * broker starts. Thread-safe.
     */
    public void add(PublishRoute route) {
        routes.add(route);
    }

    /** Runs the owning route, or succeeds at once for plain relay topics. */
    public Future<Void> route(Principal publisher, BrokerMessage message) {
        for (PublishRoute route : routes) {
            if (route.handles(message.topic())) {
                return route.handle(publisher, message);
            }
        }
        return Future.succeededFuture();
    }
}
