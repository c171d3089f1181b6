package dev.mecgw.app.southbound;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mecgw.app.problem.GatewayException;
import dev.mecgw.app.registry.ConnectionPolicy;
import dev.mecgw.app.registry.DeviceConnectionView;
import dev.mecgw.app.registry.DeviceRegistry.StoredConnection;
import dev.mecgw.app.twin.DesiredTwin;
import dev.mecgw.app.twin.DeviceCommand;
import dev.mecgw.app.twin.DeviceUpdateListener;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;

/**
 * The southbound area's entry (issue 21): runs one {@link SouthboundClient} per registered device of a southbound
 * type (Modbus TCP, IEC 60870-5-104, Sparkplug B), keeps their connection state for the device API, and carries out
 * commands addressed to them.
 *
 * <p>Flows: the registry checks settings with {@link #policy} and announces each committed change, on which
 * {@link #reconcile} starts, restarts or stops the device's client; clients hand readings to the same
 * {@link dev.mecgw.app.ingest.TelemetryIngest} as MQTT and CoAP and report online/offline through their
 * {@link SouthboundLink} (presence and events follow); a command issued through {@code POST
 * /api/v1/devices/{id}/commands} reaches {@link #commands()} through the twin area's device-update fan-out, goes to
 * the client, and its outcome is recorded as delivered and answered. Registry work runs on one store thread, so
 * nothing here blocks a caller.
 */
public final class Southbound implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(Southbound.class);

    private final Map<String, SouthboundProtocol> protocols;
    private final SouthboundRuntime runtime;
    private final ObjectMapper json;
    private final Map<String, Running> clients = new ConcurrentHashMap<>();
    private volatile boolean started;

    private Southbound(List<SouthboundProtocol> protocols, SouthboundRuntime runtime, ObjectMapper json) {
        this.protocols = byType(protocols);
        this.runtime = runtime;
        this.json = json;
    }

    /**
     * @param protocols the protocols, one per device type
     * @param services the gateway parts clients use
     * @param config pool sizes and backoff bounds
     * @param json serializes command results
     */
    public static Southbound create(
            List<SouthboundProtocol> protocols,
            SouthboundServices services,
            SouthboundConfig config,
            ObjectMapper json) {
        return new Southbound(protocols, new SouthboundRuntime(services, config), json);
    }

    /** The registry's check of connection settings: each type by its protocol. Usable before any client runs. */
    public static ConnectionPolicy policy(List<SouthboundProtocol> protocols) {
        return new SouthboundPolicy(byType(protocols));
    }

    private static Map<String, SouthboundProtocol> byType(List<SouthboundProtocol> protocols) {
        return protocols.stream().collect(Collectors.toUnmodifiableMap(SouthboundProtocol::type, Function.identity()));
    }

    /** @return the live connection states, for {@code GET /api/v1/devices/{id}} */
    public DeviceConnectionView view() {
        return runtime.states();
    }

    /** @return the connection status of a device whose client runs */
    public Optional<ConnectionStatus> status(String deviceId) {
        return runtime.states().status(deviceId);
    }

    /** Opens a client for every registered southbound device. Blocking (reads the registry). */
    public void start() {
        started = true;
        List<StoredConnection> all = runtime.services().registry().connections(protocols.keySet());
        CompletableFuture.runAsync(() -> all.forEach(this::open), runtime.store())
                .orTimeout(30, TimeUnit.SECONDS)
                .join();
        LOG.infof("Southbound: %d device(s) of %s", all.size(), protocols.keySet());
    }

    /**
     * Brings the device's client in line with the registry after a committed change; returns at once.
     *
     * @param deviceId a created, updated or deleted device of any type
     */
    public void reconcile(String deviceId) {
        runtime.onStore(() -> {
            if (!started) {
                return;
            }
            Optional<StoredConnection> stored = runtime.services().registry().connection(deviceId);
            Running running = clients.get(deviceId);
            if (running != null && stored.isPresent() && running.device().equals(device(stored.get()))) {
                return;
            }
            stop(deviceId);
            stored.filter(s -> protocols.containsKey(s.type())).ifPresent(this::open);
        });
    }

    private static SouthboundDevice device(StoredConnection stored) {
        return new SouthboundDevice(stored.deviceId(), stored.type(), stored.settings(), stored.secrets());
    }

    private void open(StoredConnection stored) {
        SouthboundProtocol protocol = protocols.get(stored.type());
        if (protocol == null) {
            return;
        }
        SouthboundDevice device = device(stored);
        DeviceLink link = new DeviceLink(device, runtime);
        try {
            SouthboundClient client = protocol.open(device, link);
            runtime.states().enter(device.id(), ConnectionState.CONNECTING, null);
            clients.put(device.id(), new Running(device, client, link));
            client.start();
        } catch (RuntimeException e) {
            LOG.warnf("southbound client of %s not started: %s", device.id(), e.getMessage());
            link.offline("client not started: " + e.getMessage());
        }
    }

    private void stop(String deviceId) {
        Running running = clients.remove(deviceId);
        if (running != null) {
            running.link().close();
            closeQuietly(running.client());
        }
        runtime.states().remove(deviceId);
    }

    /** @return the listener to subscribe to the twin area's device-update fan-out; ignores other devices' commands */
    public DeviceUpdateListener commands() {
        return new DeviceUpdateListener() {
            @Override
            public void onCommand(DeviceCommand command) {
                execute(command);
            }

            @Override
            public void onDesiredChanged(DesiredTwin twin) {
                // Southbound devices have no twin of their own; commands are their only downlink.
            }
        };
    }

    private void execute(DeviceCommand command) {
        Running running = clients.get(command.deviceId());
        if (running == null || command.expiredAt(runtime.clock().instant())) {
            return;
        }
        CompletableFuture<JsonNode> outcome;
        try {
            outcome = running.client().execute(command).toCompletableFuture();
        } catch (RuntimeException e) {
            outcome = CompletableFuture.failedFuture(e);
        }
        outcome.whenComplete((result, failure) -> {
            ObjectNode response = json.createObjectNode();
            if (failure == null) {
                response.put("status", "ok");
                if (result != null) {
                    response.set("result", result);
                }
            } else {
                Throwable cause = failure instanceof CompletionException && failure.getCause() != null
                        ? failure.getCause()
                        : failure;
                response.put("status", "failed");
                response.put(
                        "error",
                        cause instanceof GatewayException ? cause.getMessage() : "device error: " + cause.getMessage());
            }
            runtime.services().receipts().delivered(command.deviceId(), command.commandId());
            runtime.services()
                    .receipts()
                    .responded(
                            command.deviceId(),
                            command.name(),
                            command.commandId(),
                            response.toString().getBytes(StandardCharsets.UTF_8));
        });
    }

    private static void closeQuietly(SouthboundClient client) {
        try {
            client.close();
        } catch (RuntimeException e) {
            LOG.debugf("southbound client close failed: %s", e.getMessage());
        }
    }

    /** Closes every client, then the protocols and threads. */
    @Override
    public void close() {
        started = false;
        CompletableFuture.runAsync(() -> List.copyOf(clients.keySet()).forEach(this::stop), runtime.store())
                .orTimeout(10, TimeUnit.SECONDS)
                .exceptionally(e -> null)
                .join();
        protocols.values().forEach(protocol -> {
            try {
                protocol.close();
            } catch (RuntimeException e) {
                LOG.debugf("southbound protocol %s close failed: %s", protocol.type(), e.getMessage());
            }
        });
        runtime.close();
    }

    private record Running(SouthboundDevice device, SouthboundClient client, DeviceLink link) {}
}
