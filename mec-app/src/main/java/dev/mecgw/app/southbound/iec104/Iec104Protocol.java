package dev.mecgw.app.southbound.iec104;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mecgw.app.problem.ErrorKind;
import dev.mecgw.app.problem.GatewayException;
import dev.mecgw.app.registry.ConnectionPolicy.CheckedConnection;
import dev.mecgw.app.southbound.SouthboundClient;
import dev.mecgw.app.southbound.SouthboundDevice;
import dev.mecgw.app.southbound.SouthboundLink;
import dev.mecgw.app.southbound.SouthboundProtocol;
import dev.mecgw.app.twin.DeviceCommand;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;

/**
 * IEC 60870-5-104 in the southbound area (issue 21 item 2): a device of type {@code iec104} is an outstation the
 * gateway connects to as controlling station, one {@link Iec104Station} per device on the gateway's Vert.x.
 * Commands are the device's named C_SC/C_DC/C_SE outputs with payload {@code {"value": n}}.
 */
public final class Iec104Protocol implements SouthboundProtocol {

    /** The device type. */
    public static final String TYPE = "iec104";

    private final Vertx vertx;
    private final Iec104Options options;
    private final ObjectMapper json;

    public Iec104Protocol(Vertx vertx, Iec104Options options, ObjectMapper json) {
        this.vertx = vertx;
        this.options = options;
        this.json = json;
    }

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public CheckedConnection check(JsonNode connection) {
        Iec104Settings.read("check", connection);
        return new CheckedConnection(connection.deepCopy(), Map.of());
    }

    @Override
    public SouthboundClient open(SouthboundDevice device, SouthboundLink link) {
        Iec104Device settings = Iec104Settings.read(device.id(), device.settings());
        Iec104Station station = new Iec104Station(
                vertx,
                settings,
                new Iec104Listener() {
                    @Override
                    public CompletionStage<Void> onReadings(String deviceId, List<Iec104Reading> readings) {
                        return link.submit(Iec104TelemetryBridge.toReadings(deviceId, readings));
                    }

                    @Override
                    public void onState(String deviceId, Iec104Station.State state, String reason) {
                        if (state == Iec104Station.State.ONLINE) {
                            link.online();
                        } else if (state == Iec104Station.State.OFFLINE) {
                            link.offline(reason);
                        }
                    }
                },
                options,
                link.clock());
        return new SouthboundClient() {
            @Override
            public void start() {
                station.start();
            }

            @Override
            public CompletionStage<JsonNode> execute(DeviceCommand command) {
                double value;
                try {
                    JsonNode body = json.readTree(command.payload());
                    if (body == null || !body.path("value").isNumber()) {
                        throw GatewayException.badField("value", "must be a number");
                    }
                    value = body.path("value").asDouble();
                } catch (IOException e) {
                    return CompletableFuture.failedFuture(GatewayException.badField("$", "must be a JSON object"));
                } catch (GatewayException e) {
                    return CompletableFuture.failedFuture(e);
                }
                return station.command(command.name(), value).handle((ok, failure) -> {
                    if (failure != null) {
                        Throwable cause = failure instanceof CompletionException && failure.getCause() != null
                                ? failure.getCause()
                                : failure;
                        if (cause instanceof IllegalArgumentException) {
                            throw new CompletionException(GatewayException.badField("name", cause.getMessage()));
                        }
                        throw new CompletionException(new GatewayException(
                                ErrorKind.UNAVAILABLE, "command failed: " + cause.getMessage(), cause));
                    }
                    ObjectNode result = json.createObjectNode();
                    result.put("command", command.name());
                    result.put("value", value);
                    result.put("confirmed", true);
                    return result;
                });
            }

            @Override
            public void close() {
                station.close();
            }
        };
    }
}
