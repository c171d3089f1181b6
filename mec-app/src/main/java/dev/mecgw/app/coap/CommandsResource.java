package dev.mecgw.app.coap;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mecgw.app.problem.ErrorKind;
import dev.mecgw.app.twin.CommandReceipts;
import dev.mecgw.app.twin.DesiredTwin;
import dev.mecgw.app.twin.DeviceCommand;
import dev.mecgw.app.twin.DeviceUpdateListener;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.californium.core.CoapResource;
import org.eclipse.californium.core.coap.CoAP.ResponseCode;
import org.eclipse.californium.core.coap.CoAP.Type;
import org.eclipse.californium.core.coap.MediaTypeRegistry;
import org.eclipse.californium.core.coap.MessageObserverAdapter;
import org.eclipse.californium.core.coap.Response;
import org.eclipse.californium.core.server.resources.CoapExchange;

/**
 * {@code GET /commands} with Observe: a device observes it over DTLS and receives the commands issued for it, one at a
 * time and oldest first, as confirmable notifications (docs/commands.md). The device's ACK of a notification (or the
 * piggybacked response to its GET) is the command's delivery; the next pending command follows. A GET without a
 * pending command returns an empty 2.05 so that the observation is established. {@code POST /commands} with
 * {@code {"id":"<command id>",...}} is the device's response: 2.04 once recorded. Pending commands are kept in memory,
 * at most {@value #MAX_PENDING} per device (oldest dropped), expired ones skipped; the dispatcher hands the stored ones
 * again after a restart.
 */
class CommandsResource extends CoapResource implements DeviceUpdateListener {

    /** Path segment of this resource. */
    public static final String NAME = "commands";

    static final int MAX_PENDING = 16;

    private final ObjectMapper json;
    private final CommandReceipts receipts;
    private final CoapDevices devices;
    private final Map<String, Deque<DeviceCommand>> pending = new ConcurrentHashMap<>();

    /**
     * @param json the mapper
     * @param receipts told of deliveries and responses
     * @param devices marks responding devices seen; null for none
     */
    public CommandsResource(ObjectMapper json, CommandReceipts receipts, CoapDevices devices) {
        super(NAME);
        this.json = json;
        this.receipts = receipts;
        this.devices = devices;
        setObservable(true);
        setObserveType(Type.CON);
        getAttributes().setObservable();
        getAttributes().setTitle("Commands for the device (observe); POST the response");
        getAttributes().addContentType(MediaTypeRegistry.APPLICATION_JSON);
    }

    @Override
    public void handleGET(CoapExchange exchange) {
        String deviceId = CoapAuthenticator.deviceId(exchange.advanced().getRequest());
        DeviceCommand command = next(deviceId);
        if (command == null) {
            exchange.respond(ResponseCode.CONTENT, new byte[0], MediaTypeRegistry.APPLICATION_JSON);
            return;
        }
        Response response = new Response(ResponseCode.CONTENT);
        response.setPayload(render(command));
        response.getOptions().setContentFormat(MediaTypeRegistry.APPLICATION_JSON);
        response.addMessageObserver(new MessageObserverAdapter() {
            @Override
            public void onAcknowledgement() {
                delivered(command);
            }

            @Override
            public void onSent(boolean retransmission) {
                // A response piggybacked on the ACK of the device's GET is not acknowledged itself: the device
                // repeats its GET if it is lost.
                if (response.getType() == Type.ACK || response.getType() == Type.NON) {
                    delivered(command);
                }
            }
        });
        exchange.respond(response);
    }

    @Override
    public void handlePOST(CoapExchange exchange) {
        String deviceId = CoapAuthenticator.deviceId(exchange.advanced().getRequest());
        JsonNode body;
        try {
            body = json.readTree(exchange.getRequestPayload());
        } catch (IOException e) {
            body = null;
        }
        if (body == null || !body.path("id").isTextual()) {
            exchange.respond(CoapErrorResponse.of(
                    ErrorKind.BAD_REQUEST, "response must be a JSON object with the command's id", true));
            return;
        }
        String name = body.path("name").isTextual() ? body.get("name").asText() : null;
        receipts.responded(deviceId, name, body.get("id").asText(), exchange.getRequestPayload())
                .whenComplete((recorded, failure) -> {
                    if (failure != null) {
                        exchange.respond(CoapErrorResponse.of(failure, true));
                        return;
                    }
                    if (devices != null) {
                        devices.seen(deviceId, Instant.now());
                    }
                    exchange.respond(ResponseCode.CHANGED);
                });
    }

    @Override
    public void onCommand(DeviceCommand command) {
        Deque<DeviceCommand> queue = pending.computeIfAbsent(command.deviceId(), d -> new ArrayDeque<>());
        synchronized (queue) {
            if (queue.stream().anyMatch(c -> c.commandId().equals(command.commandId()))) {
                return;
            }
            queue.addLast(command);
            while (queue.size() > MAX_PENDING) {
                queue.pollFirst();
            }
        }
        notifyDevice(command.deviceId());
    }

    @Override
    public void onDesiredChanged(DesiredTwin twin) {
        // Not this resource's concern; see DesiredTwinResource.
    }

    private DeviceCommand next(String deviceId) {
        Deque<DeviceCommand> queue = pending.get(deviceId);
        if (queue == null) {
            return null;
        }
        Instant now = Instant.now();
        synchronized (queue) {
            while (!queue.isEmpty() && queue.peekFirst().expiredAt(now)) {
                queue.pollFirst();
            }
            return queue.peekFirst();
        }
    }

    private void delivered(DeviceCommand command) {
        Deque<DeviceCommand> queue = pending.get(command.deviceId());
        boolean removed;
        boolean more;
        if (queue == null) {
            return;
        }
        synchronized (queue) {
            removed = queue.removeIf(c -> c.commandId().equals(command.commandId()));
            more = !queue.isEmpty();
        }
        if (removed) {
            receipts.delivered(command.deviceId(), command.commandId());
            if (more) {
                notifyDevice(command.deviceId());
            }
        }
    }

    private void notifyDevice(String deviceId) {
        changed(relation -> deviceId.equals(
                CoapAuthenticator.deviceId(relation.getExchange().getRequest())));
    }

    private byte[] render(DeviceCommand command) {
        ObjectNode node = json.createObjectNode();
        node.put("id", command.commandId());
        node.put("name", command.name());
        node.put("issuedAt", command.issuedAt().toString());
        if (command.expiresAt() != null) {
            node.put("expiresAt", command.expiresAt().toString());
        }
        try {
            node.set("payload", json.readTree(command.payload()));
            return json.writeValueAsBytes(node);
        } catch (IOException e) {
            throw new IllegalStateException("command payloads are JSON by contract", e);
        }
    }
}
