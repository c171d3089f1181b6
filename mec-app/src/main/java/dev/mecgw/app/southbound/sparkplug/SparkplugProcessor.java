package dev.mecgw.app.southbound.sparkplug;

import dev.mecgw.app.acl.SparkplugTopic;
import dev.mecgw.app.events.RejectedPayloadEvents;
import dev.mecgw.app.ingest.TelemetryIngest;
import dev.mecgw.app.mqtt.persistence.BrokerMessage;
import dev.mecgw.app.problem.ErrorKind;
import dev.mecgw.app.problem.GatewayException;
import io.vertx.core.Context;
import io.vertx.core.Future;
import java.time.Clock;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.tahu.protobuf.SparkplugBProto.Payload;
import org.eclipse.tahu.protobuf.SparkplugBProto.Payload.Metric;

/**
 * The host application's state machine for edge nodes (Sparkplug 3.0 chapter 7, issue 21.3): an NBIRTH from a node
 * registered for its group starts its state, DBIRTHs register devices under it, data messages become readings
 * through the ingest, a sequence gap or an unknown alias asks the node once for a rebirth, and deaths mark node and
 * devices offline. Refusals become an event per device and minute and a failed future (the publisher's reason code).
 * Runs on the broker's event loop, one message of a node at a time ({@link SparkplugRoute}).
 */
final class SparkplugProcessor {

    private final SparkplugConfig config;
    private final Map<String, EdgeNode> nodes;
    private final SparkplugRegistrations registrations;
    private final TelemetryIngest ingest;
    private final RejectedPayloadEvents events;
    private final SparkplugCommands commands;
    private final Clock clock;
    /** Nodes sending data without a birth that were asked for one; bounded by the node limit. */
    private final Set<String> unbornAsked = new HashSet<>();

    /** Collaborators of the processor, as one value. */
    record Parts(
            SparkplugRegistrations registrations,
            TelemetryIngest ingest,
            RejectedPayloadEvents events,
            SparkplugCommands commands,
            Clock clock) {}

    SparkplugProcessor(SparkplugConfig config, Map<String, EdgeNode> nodes, Parts parts) {
        this.config = config;
        this.nodes = nodes;
        this.registrations = parts.registrations();
        this.ingest = parts.ingest();
        this.events = parts.events();
        this.commands = parts.commands();
        this.clock = parts.clock();
    }

    /**
     * Applies one message of a node.
     *
     * @return completes when the host's state reflects the message; its value completes when the readings are durable
     */
    Future<Future<Void>> process(SparkplugTopic topic, BrokerMessage message, Context context) {
        Payload payload;
        try {
            payload = decode(topic.node(), message.payload());
        } catch (GatewayException e) {
            return Future.failedFuture(e);
        }
        return switch (topic.type()) {
            case NBIRTH -> nodeBirth(topic, payload, context);
            case NDEATH -> {
                nodeDeath(topic, payload);
                yield done();
            }
            default -> afterBirth(topic, payload, context);
        };
    }

    /** A will the broker publishes for a node that lost its connection. */
    void will(SparkplugTopic topic, byte[] bytes) {
        try {
            nodeDeath(topic, decode(topic.node(), bytes));
        } catch (GatewayException e) {
            // Counted as an event by decode; the connection is gone, nothing to refuse.
        }
    }

    private Payload decode(String node, byte[] bytes) {
        if (bytes.length > config.maxPayloadBytes()) {
            throw refused(
                    node,
                    ErrorKind.QUOTA_EXCEEDED,
                    "Sparkplug payload over " + config.maxPayloadBytes() + " bytes",
                    bytes.length);
        }
        try {
            return Payload.parseFrom(bytes);
        } catch (java.io.IOException | RuntimeException | StackOverflowError e) {
            // Tahu's protobuf classes predate the recursion limit for unknown groups, so deep nesting ends here.
            throw refused(node, ErrorKind.BAD_REQUEST, "Invalid Sparkplug B payload", bytes.length);
        }
    }

    private Future<Future<Void>> nodeBirth(SparkplugTopic topic, Payload payload, Context context) {
        String node = topic.node();
        if (!nodes.containsKey(node) && nodes.size() >= config.maxNodes()) {
            return Future.failedFuture(refused(node, ErrorKind.QUOTA_EXCEEDED, "Too many Sparkplug edge nodes", 0));
        }
        return Future.fromCompletionStage(registrations.groupOf(node), context).compose(group -> {
            if (group.isEmpty() || !group.get().equals(topic.group())) {
                return Future.failedFuture(refused(
                        node,
                        ErrorKind.FORBIDDEN,
                        "Edge node " + node + " is not registered for group " + topic.group(),
                        0));
            }
            MetricScope scope = MetricScope.of(MetricReadings.definitions(payload), MetricReadings.aliases(payload));
            if (scope.bytes() > config.maxDefinitionBytesPerNode()) {
                return Future.failedFuture(
                        refused(node, ErrorKind.QUOTA_EXCEEDED, "NBIRTH metric definitions over the node's budget", 0));
            }
            EdgeNode previous = nodes.get(node);
            Set<String> registered = previous == null ? ConcurrentHashMap.newKeySet() : previous.registered();
            EdgeNode born = new EdgeNode(
                    node,
                    topic.group(),
                    bdSeq(payload),
                    payload.getSeq(),
                    scope,
                    config.maxDefinitionBytesPerNode(),
                    registered);
            nodes.put(node, born);
            unbornAsked.remove(node);
            registrations.presence(node, true);
            return Future.succeededFuture(store(born, node, payload, scope, context));
        });
    }

    /** NDEATH, published by the node or as its will: ignored unless it ends the current birth (same bdSeq). */
    private void nodeDeath(SparkplugTopic topic, Payload payload) {
        EdgeNode node = nodes.get(topic.node());
        Long bdSeq = bdSeq(payload);
        if (node == null
                || !node.group().equals(topic.group())
                || (bdSeq != null && node.bdSeq() != null && !bdSeq.equals(node.bdSeq()))) {
            return;
        }
        nodes.remove(topic.node(), node);
        registrations.presence(node.deviceId(), false);
        for (String device : node.bornDevices()) {
            SparkplugRegistrations.deviceId(node.deviceId(), device).ifPresent(id -> registrations.presence(id, false));
        }
    }

    private Future<Future<Void>> afterBirth(SparkplugTopic topic, Payload payload, Context context) {
        EdgeNode node = nodes.get(topic.node());
        if (node == null || !node.group().equals(topic.group())) {
            // Data without a birth (e.g. after the gateway restarted): ask once for one, store nothing.
            if (unbornAsked.size() < config.maxNodes() && unbornAsked.add(topic.node())) {
                commands.rebirth(topic.group(), topic.node());
            }
            return done();
        }
        if (!payload.hasSeq() || node.gap(payload.getSeq())) {
            events.rejected(node.deviceId(), "sparkplug.sequence-gap", "sparkplug", "Sequence number gap", 0);
            askRebirth(node);
        }
        return switch (topic.type()) {
            case NDATA -> Future.succeededFuture(store(node, node.deviceId(), payload, node.nodeScope(), context));
            case DBIRTH -> deviceBirth(node, topic.device(), payload, context);
            case DDATA -> deviceData(node, topic.device(), payload, context);
            case DDEATH -> {
                node.deviceDied(topic.device());
                SparkplugRegistrations.deviceId(node.deviceId(), topic.device())
                        .ifPresent(id -> registrations.presence(id, false));
                yield done();
            }
            default -> done();
        };
    }

    private Future<Future<Void>> deviceBirth(EdgeNode node, String device, Payload payload, Context context) {
        Optional<String> id = SparkplugRegistrations.deviceId(node.deviceId(), device);
        if (id.isEmpty()) {
            return Future.failedFuture(refused(
                    node.deviceId(),
                    ErrorKind.BAD_REQUEST,
                    "Sparkplug device id " + device + " is not a valid device id",
                    0));
        }
        if (node.deviceScope(device) == null && node.bornDevices().size() >= config.maxDevicesPerNode()) {
            return Future.failedFuture(
                    refused(node.deviceId(), ErrorKind.QUOTA_EXCEEDED, "Too many Sparkplug devices on this node", 0));
        }
        Future<Void> registered = node.registered().contains(device)
                ? Future.succeededFuture()
                : Future.fromCompletionStage(
                                registrations.ensureDevice(node.deviceId(), node.group(), device, id.get()), context)
                        .onSuccess(v -> node.registered().add(device));
        return registered.compose(v -> {
            MetricScope scope = MetricScope.of(MetricReadings.definitions(payload), MetricReadings.aliases(payload));
            if (!node.deviceBorn(device, scope)) {
                return Future.failedFuture(refused(
                        node.deviceId(),
                        ErrorKind.QUOTA_EXCEEDED,
                        "DBIRTH metric definitions over the node's budget",
                        0));
            }
            registrations.presence(id.get(), true);
            return Future.succeededFuture(store(node, id.get(), payload, scope, context));
        });
    }

    private Future<Future<Void>> deviceData(EdgeNode node, String device, Payload payload, Context context) {
        MetricScope scope = node.deviceScope(device);
        Optional<String> id = SparkplugRegistrations.deviceId(node.deviceId(), device);
        if (scope == null || id.isEmpty()) {
            events.rejected(node.deviceId(), "sparkplug.unborn-device", "sparkplug", "DDATA before DBIRTH", 0);
            askRebirth(node);
            return done();
        }
        return Future.succeededFuture(store(node, id.get(), payload, scope, context));
    }

    private Future<Void> store(EdgeNode node, String deviceId, Payload payload, MetricScope scope, Context context) {
        MetricReadings.Result result = MetricReadings.readings(deviceId, payload, scope, clock.instant());
        if (result.unknownAliases() > 0) {
            events.rejected(node.deviceId(), "sparkplug.unknown-alias", "sparkplug", "Metric alias without a birth", 0);
            askRebirth(node);
        }
        if (result.readings().isEmpty()) {
            return Future.succeededFuture();
        }
        return Future.fromCompletionStage(ingest.submit(result.readings()), context);
    }

    private void askRebirth(EdgeNode node) {
        if (node.firstRebirthRequest()) {
            commands.rebirth(node.group(), node.deviceId());
        }
    }

    private GatewayException refused(String node, ErrorKind kind, String reason, int bytes) {
        events.rejected(node, "sparkplug.rejected", "sparkplug", reason, bytes);
        return new GatewayException(kind, reason);
    }

    private static Long bdSeq(Payload payload) {
        for (Metric metric : payload.getMetricsList()) {
            if (metric.hasName() && metric.getName().equals("bdSeq")) {
                return metric.hasLongValue() ? metric.getLongValue() : (long) metric.getIntValue();
            }
        }
        return null;
    }

    private static Future<Future<Void>> done() {
        return Future.succeededFuture(Future.succeededFuture());
    }
}
