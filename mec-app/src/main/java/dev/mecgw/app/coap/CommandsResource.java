package dev.mecgw.app.coap;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mecgw.app.twin.DesiredTwin;
import dev.mecgw.app.twin.DeviceCommand;
import dev.mecgw.app.twin.DeviceUpdateListener;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.californium.core.CoapResource;
import org.eclipse.californium.core.coap.CoAP.ResponseCode;
import org.eclipse.californium.core.coap.CoAP.Type;
import org.eclipse.californium.core.coap.MediaTypeRegistry;
import org.eclipse.californium.core.server.resources.CoapExchange;

/**
 * {@code GET /commands} with Observe: a device observes it over DTLS and receives every command issued for
 * it as a confirmable notification. The latest command per device is kept in memory; a GET without a
 * pending command returns an empty 2.05 so that the observation is established. Notifications go only to
 * the relations of the addressed device.
 */
class CommandsResource extends CoapResource implements DeviceUpdateListener {

    /** Path segment of this resource. */
    public static final String NAME = "commands";

    private final ObjectMapper json;
    private final Map<String, DeviceCommand> latest = new ConcurrentHashMap<>();

    public CommandsResource(ObjectMapper json) {
        super(NAME);
        this.json = json;
        setObservable(true);
        setObserveType(Type.CON);
        getAttributes().setObservable();
        getAttributes().setTitle("Commands for the device (observe)");
        getAttributes().addContentType(MediaTypeRegistry.APPLICATION_JSON);
    }

    @Override
    public void handleGET(CoapExchange exchange) {
        String deviceId = CoapAuthenticator.deviceId(exchange.advanced().getRequest());
        DeviceCommand command = latest.get(deviceId);
        if (command == null) {
            exchange.respond(ResponseCode.CONTENT, new byte[0], MediaTypeRegistry.APPLICATION_JSON);
            return;
        }
        exchange.respond(ResponseCode.CONTENT, render(command), MediaTypeRegistry.APPLICATION_JSON);
    }

    @Override
    public void onCommand(DeviceCommand command) {
        latest.put(command.deviceId(), command);
        changed(relation -> command.deviceId()
                .equals(CoapAuthenticator.deviceId(relation.getExchange().getRequest())));
    }

    @Override
    public void onDesiredChanged(DesiredTwin twin) {
        // Not this resource's concern; see DesiredTwinResource.
    }

    private byte[] render(DeviceCommand command) {
        ObjectNode node = json.createObjectNode();
        node.put("id", command.commandId());
        node.put("name", command.name());
        node.put("issuedAt", command.issuedAt().toString());
        try {
            node.set("payload", json.readTree(command.payload()));
            return json.writeValueAsBytes(node);
        } catch (IOException e) {
            throw new IllegalStateException("command payloads are JSON by contract", e);
        }
    }
}
