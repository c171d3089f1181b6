package dev.mecgw.app.southbound.sparkplug;

import dev.mecgw.app.acl.Principal;
import dev.mecgw.app.acl.SparkplugTopic;
import dev.mecgw.app.mqtt.persistence.BrokerMessage;
import dev.mecgw.app.mqtt.routing.PublishRoute;
import dev.mecgw.app.problem.ErrorKind;
import dev.mecgw.app.problem.GatewayException;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.function.Supplier;

/**
 * {@code spBv1.0/...}: births, data and deaths go to the {@link SparkplugProcessor} one message of a node at a time,
 * in arrival order, even while a birth waits for the registry; other Sparkplug topics (commands, STATE) are only
 * relayed. Only the node itself may publish its births, data and deaths (the access policy grants them by node id; an
 * ACL rule granting the namespace to another device does not make it a node). Runs on the broker's event loop.
 */
final class SparkplugRoute implements PublishRoute {

    private final SparkplugProcessor processor;
    /** The last step of each node's chain, so the next message waits for it; confined to the event loop. */
    private final Map<String, Future<Void>> tails = new HashMap<>();

    SparkplugRoute(SparkplugProcessor processor) {
        this.processor = processor;
    }

    @Override
    public boolean handles(String topic) {
        return SparkplugTopic.isInNamespace(topic);
    }

    @Override
    public Future<Void> handle(Principal publisher, BrokerMessage message) {
        SparkplugTopic topic = SparkplugTopic.parse(message.topic()).orElse(null);
        if (topic == null || !topic.type().fromNode()) {
            return Future.succeededFuture();
        }
        if (publisher.isAnonymous() || !topic.node().equals(publisher.deviceId())) {
            return Future.failedFuture(new GatewayException(
                    ErrorKind.FORBIDDEN, "Only edge node " + topic.node() + " may publish its " + topic.type()));
        }
        Context context = Vertx.currentContext();
        return serial(topic.node(), () -> processor.process(topic, message, context));
    }

    /** Runs the step after the node's previous one has changed the state; the result is the step's durability. */
    private Future<Void> serial(String node, Supplier<Future<Future<Void>>> step) {
        Future<Void> previous = tails.get(node);
        Future<Future<Void>> applied = previous == null ? step.get() : previous.transform(ignored -> step.get());
        Future<Void> tail = applied.transform(ignored -> Future.<Void>succeededFuture());
        tails.put(node, tail);
        tail.onComplete(ignored -> tails.remove(node, tail));
        return applied.compose(durable -> durable).recover(SparkplugRoute::unwrapped);
    }

    private static Future<Void> unwrapped(Throwable failure) {
        Throwable cause =
                failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
        return Future.failedFuture(cause);
    }
}
