package dev.mecgw.app.southbound.sparkplug;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.mecgw.app.acl.SparkplugTopic;
import dev.mecgw.app.problem.ErrorKind;
import dev.mecgw.app.problem.GatewayException;
import dev.mecgw.app.registry.ConnectionPolicy.CheckedConnection;
import dev.mecgw.app.southbound.SouthboundClient;
import dev.mecgw.app.southbound.SouthboundDevice;
import dev.mecgw.app.southbound.SouthboundLink;
import dev.mecgw.app.southbound.SouthboundProtocol;
import dev.mecgw.app.twin.DeviceCommand;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;

/**
 * Sparkplug B as a southbound device type (issue 21.3/21.4): edge nodes and their devices are devices of type
 * {@code sparkplug}; they connect to the gateway's broker themselves, so a client only mirrors the host's view into
 * the connection state ({@code online} while born) and turns commands into NCMD/DCMD. Commands: {@code write} with
 * the metrics to write as the arguments, e.g. {@code {"Speed": 1500}}; {@code rebirth} (nodes) asks for new births.
 * No connection settings: the group is the node's label {@code sparkplug.group}. Thread-safe.
 */
public final class SparkplugProtocol implements SouthboundProtocol {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Supplier<SparkplugHost> hosts;

    /** @param hosts the host, looked up when a client starts (the registry, which the host uses, needs protocols) */
    public SparkplugProtocol(Supplier<SparkplugHost> hosts) {
        this.hosts = hosts;
    }

    @Override
    public String type() {
        return SparkplugTopic.NODE_DEVICE_TYPE;
    }

    @Override
    public CheckedConnection check(JsonNode connection) {
        if (connection != null && !connection.isNull() && !(connection.isObject() && connection.isEmpty())) {
            throw new GatewayException(
                    ErrorKind.BAD_REQUEST,
                    "connection: sparkplug devices take no connection settings (group: label sparkplug.group)");
        }
        return new CheckedConnection(JsonNodeFactory.instance.objectNode(), Map.of());
    }

    @Override
    public SouthboundClient open(SouthboundDevice device, SouthboundLink link) {
        return new Client(device.id(), link);
    }

    /** The host's view of one node or device. */
    private final class Client implements SouthboundClient {
        private final String deviceId;
        private final SouthboundLink link;

        Client(String deviceId, SouthboundLink link) {
            this.deviceId = deviceId;
            this.link = link;
        }

        @Override
        public void start() {
            hosts.get().watch(deviceId, link);
        }

        @Override
        public CompletionStage<JsonNode> execute(DeviceCommand command) {
            Map<String, Object> metrics;
            if (command.name().equals("rebirth")) {
                metrics = Map.of(SparkplugCommands.REBIRTH, true);
            } else if (command.name().equals("write")) {
                try {
                    metrics = JSON.readValue(command.payload(), new TypeReference<Map<String, Object>>() {});
                } catch (IOException e) {
                    return CompletableFuture.failedFuture(new GatewayException(
                            ErrorKind.BAD_REQUEST, "write takes an object of metric names and values"));
                }
            } else {
                return CompletableFuture.failedFuture(new GatewayException(
                        ErrorKind.BAD_REQUEST, "Unknown Sparkplug command " + command.name() + " (write, rebirth)"));
            }
            return hosts.get().command(deviceId, metrics).thenApply(v ->
                    (JsonNode) JsonNodeFactory.instance.objectNode().put("sent", metrics.size()));
        }

        @Override
        public void close() {
            hosts.get().unwatch(deviceId, link);
        }
    }
}
