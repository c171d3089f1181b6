package dev.mecgw.app.southbound.sparkplug;

import dev.mecgw.app.acl.SparkplugTopic;
import dev.mecgw.app.events.RejectedPayloadEvents;
import dev.mecgw.app.ingest.TelemetryIngest;
import dev.mecgw.app.mqtt.persistence.BrokerMessage;
import dev.mecgw.app.mqtt.routing.PublishRoute;
import dev.mecgw.app.problem.ErrorKind;
import dev.mecgw.app.problem.GatewayException;
import dev.mecgw.app.registry.DeviceRegistry;
import dev.mecgw.app.southbound.SouthboundLink;
import dev.mecgw.app.twin.DeviceMessenger;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The gateway as a Sparkplug B host application inside its own MQTT broker (issue 21.3, docs/southbound.md): the
 * entry of the area, built by {@code SparkplugProducers}. It gives the broker a {@link #route()} for
 * {@code spBv1.0/...} and a will listener ({@link #onWill}); births, data and deaths become readings, registrations
 * and presence; {@link #command} writes DCMD/NCMD. Memory is bounded per node in bytes and in the number of nodes.
 * Thread-safe: the route and the will listener run on the broker's event loop, commands on any thread.
 */
public final class SparkplugHost implements AutoCloseable {

    private final Map<String, EdgeNode> nodes = new ConcurrentHashMap<>();
    private final Map<String, SouthboundLink> links = new ConcurrentHashMap<>();
    private final SparkplugRegistrations registrations;
    private final SparkplugCommands commands;
    private final SparkplugProcessor processor;
    private final SparkplugRoute route;

    /**
     * @param registry where edge nodes are registered and their devices are registered automatically
     * @param ingest where readings go, as MQTT telemetry does
     * @param events refused payloads, sequence gaps and unknown aliases, one event per node, kind and minute
     * @param messenger the broker's gateway-originated publish path, for NCMD and DCMD
     */
    public SparkplugHost(
            SparkplugConfig config,
            DeviceRegistry registry,
            TelemetryIngest ingest,
            RejectedPayloadEvents events,
            DeviceMessenger messenger) {
        Clock clock = Clock.systemUTC();
        this.registrations =
                new SparkplugRegistrations(registry, clock, config.maxQueuedRegistryTasks(), this::presence);
        this.commands = new SparkplugCommands(messenger, clock);
        this.processor = new SparkplugProcessor(
                config, nodes, new SparkplugProcessor.Parts(registrations, ingest, events, commands, clock));
        this.route = new SparkplugRoute(processor);
    }

    /** The broker route for the {@code spBv1.0/} namespace. */
    public PublishRoute route() {
        return route;
    }

    /** Told of each will the broker publishes: an NDEATH ends its node's birth (when its bdSeq matches). */
    public void onWill(BrokerMessage will) {
        SparkplugTopic.parse(will.topic())
                .filter(topic -> topic.type() == SparkplugTopic.Type.NDEATH)
                .ifPresent(topic -> processor.will(topic, will.payload()));
    }

    /** Mirrors a node's or device's births and deaths into its southbound connection state from now on. */
    void watch(String deviceId, SouthboundLink link) {
        links.put(deviceId, link);
        presence(deviceId, online(deviceId));
    }

    void unwatch(String deviceId, SouthboundLink link) {
        links.remove(deviceId, link);
    }

    private void presence(String deviceId, boolean online) {
        SouthboundLink link = links.get(deviceId);
        if (link == null) {
            return;
        }
        if (online) {
            link.online();
        } else {
            link.offline("No Sparkplug birth (node or device dead or not yet born)");
        }
    }

    /** Whether a gateway device is a born edge node or a born device of one. */
    public boolean online(String deviceId) {
        return target(deviceId) != null;
    }

    /**
     * Writes metrics to a Sparkplug device (DCMD) or edge node (NCMD).
     *
     * @param deviceId the gateway device: an edge node, or a device {@code {node}:{device}} registered under it
     * @param metrics metric names and values; each is converted to the type the birth declared
     * @return completes when the command is handed to the broker; fails with UNAVAILABLE when the node or device is
     *     not born (offline), BAD_REQUEST naming a metric whose value does not fit
     */
    public CompletionStage<Void> command(String deviceId, Map<String, Object> metrics) {
        Target target = target(deviceId);
        if (target == null) {
            return CompletableFuture.failedFuture(
                    new GatewayException(ErrorKind.UNAVAILABLE, "Sparkplug device " + deviceId + " is offline"));
        }
        return commands.send(target.node.group(), target.node.deviceId(), target.device, metrics, target.scope);
    }

    private Target target(String deviceId) {
        EdgeNode node = nodes.get(deviceId);
        if (node != null) {
            return new Target(node, null, node.nodeScope());
        }
        for (EdgeNode candidate : nodes.values()) {
            String prefix = candidate.deviceId() + ":";
            if (deviceId.startsWith(prefix)) {
                String device = deviceId.substring(prefix.length());
                MetricScope scope = candidate.deviceScope(device);
                if (scope != null) {
                    return new Target(candidate, device, scope);
                }
            }
        }
        return null;
    }

    @Override
    public void close() {
        registrations.close();
    }

    private record Target(EdgeNode node, String device, MetricScope scope) {}
}
