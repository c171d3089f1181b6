package dev.mecgw.app.coap;

import dev.mecgw.app.twin.TwinStore;
import org.eclipse.californium.core.CoapResource;
import org.eclipse.californium.core.coap.CoAP.ResponseCode;
import org.eclipse.californium.core.coap.MediaTypeRegistry;
import org.eclipse.californium.core.coap.Response;
import org.eclipse.californium.core.server.resources.CoapExchange;

/**
 * {@code PUT /twin/reported}: merges the JSON object the device reports into its twin and answers 2.04
 * after the write is committed.
 */
class ReportedTwinResource extends CoapResource {

    private final TwinStore twins;
    private final CoapDevices devices;

    public ReportedTwinResource(TwinStore twins, CoapDevices devices) {
        super("reported");
        this.twins = twins;
        this.devices = devices;
        getAttributes().setTitle("Reported twin state (PUT JSON object)");
        getAttributes().addContentType(MediaTypeRegistry.APPLICATION_JSON);
    }

    @Override
    public void handlePUT(CoapExchange exchange) {
        String deviceId = CoapAuthenticator.deviceId(exchange.advanced().getRequest());
        int format = exchange.getRequestOptions().getContentFormat();
        if (format != MediaTypeRegistry.UNDEFINED && format != MediaTypeRegistry.APPLICATION_JSON) {
            exchange.respond(CoapErrorResponse.unsupportedFormat());
            return;
        }
        byte[] payload = exchange.getRequestPayload();
        devices.supply(() -> twins.report(deviceId, payload)).whenComplete((version, failure) -> {
            if (failure != null) {
                exchange.respond(CoapErrorResponse.of(failure, true));
                return;
            }
            devices.seen(deviceId, java.time.Instant.now());
            Response changed = new Response(ResponseCode.CHANGED);
            changed.getOptions().addETag(java.math.BigInteger.valueOf(version).toByteArray());
            exchange.respond(changed);
        });
    }
}
