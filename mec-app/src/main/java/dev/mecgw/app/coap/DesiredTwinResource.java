package dev.mecgw.app.coap;

import dev.mecgw.app.twin.DesiredTwin;
import dev.mecgw.app.twin.DeviceCommand;
import dev.mecgw.app.twin.DeviceUpdateListener;
import dev.mecgw.app.twin.TwinStore;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.californium.core.CoapResource;
import org.eclipse.californium.core.coap.CoAP.ResponseCode;
import org.eclipse.californium.core.coap.CoAP.Type;
import org.eclipse.californium.core.coap.MediaTypeRegistry;
import org.eclipse.californium.core.coap.Response;
import org.eclipse.californium.core.server.resources.CoapExchange;

/**
 * {@code GET /twin/desired} with Observe: the device's desired state, read from the twin store (on a
 * worker) and then served from the latest published version; every change published for the device is
 * pushed to its observations as a confirmable notification.
 */
class DesiredTwinResource extends CoapResource implements DeviceUpdateListener {

    private final TwinStore twins;
    private final CoapDevices devices;
    private final Map<String, DesiredTwin> latest = new ConcurrentHashMap<>();

    public DesiredTwinResource(TwinStore twins, CoapDevices devices) {
        super("desired");
        this.twins = twins;
        this.devices = devices;
        setObservable(true);
        setObserveType(Type.CON);
        getAttributes().setObservable();
        getAttributes().setTitle("Desired twin state (observe)");
        getAttributes().addContentType(MediaTypeRegistry.APPLICATION_JSON);
    }

    @Override
    public void handleGET(CoapExchange exchange) {
        String deviceId = CoapAuthenticator.deviceId(exchange.advanced().getRequest());
        DesiredTwin cached = latest.get(deviceId);
        if (cached != null) {
            exchange.respond(content(cached));
            return;
        }
        devices.supply(() -> twins.desired(deviceId)).whenComplete((twin, failure) -> {
            if (failure != null) {
                exchange.respond(CoapErrorResponse.of(failure, true));
            } else if (twin.isEmpty()) {
                exchange.respond(CoapErrorResponse.of(dev.mecgw.app.problem.ErrorKind.NOT_FOUND, "no twin", true));
            } else {
                latest.putIfAbsent(deviceId, twin.get());
                exchange.respond(content(twin.get()));
            }
        });
    }

    @Override
    public void onDesiredChanged(DesiredTwin twin) {
        latest.merge(twin.deviceId(), twin, (old, now) -> now.version() >= old.version() ? now : old);
        changed(relation -> twin.deviceId()
                .equals(CoapAuthenticator.deviceId(relation.getExchange().getRequest())));
    }

    @Override
    public void onCommand(DeviceCommand command) {
        // Not this resource's concern; see CommandsResource.
    }

    private static Response content(DesiredTwin twin) {
        Response response = new Response(ResponseCode.CONTENT);
        response.setPayload(twin.desired());
        response.getOptions().setContentFormat(MediaTypeRegistry.APPLICATION_JSON);
        response.getOptions()
                .addETag(java.math.BigInteger.valueOf(twin.version()).toByteArray());
        return response;
    }
}
