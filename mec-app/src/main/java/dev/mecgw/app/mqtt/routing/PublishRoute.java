package dev.mecgw.app.mqtt.routing;

import dev.mecgw.app.acl.Principal;
import dev.mecgw.app.mqtt.persistence.BrokerMessage;
import io.vertx.core.Future;

/**
 * Handles one topic family before the message is relayed to subscribers (like a Californium resource).
 * Called on the broker's event loop; must not block it.
 */
public interface PublishRoute {

    /** True when this route owns the topic. */
    boolean handles(String topic);

    /**
     * Processes an authorised publish.
     *
     * @return completes when the publisher may be acknowledged (for telemetry: after the commit); fails
     *     with a {@link dev.mecgw.app.problem.GatewayException} whose kind becomes the reason code,
     *     in which case the message is not relayed
     */
    Future<Void> handle(Principal publisher, BrokerMessage message);
}
