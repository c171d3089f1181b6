package dev.mecgw.app.coap;

import dev.mecgw.app.frames.Frame;
import dev.mecgw.app.frames.FrameSink;
import java.time.Instant;
import org.eclipse.californium.core.CoapResource;
import org.eclipse.californium.core.coap.CoAP.ResponseCode;
import org.eclipse.californium.core.coap.Response;
import org.eclipse.californium.core.server.resources.CoapExchange;

/**
 * {@code POST /frames}: a camera frame, usually sent with Block1 (RFC 7959); Californium reassembles the
 * body up to {@code mecgw.coap.max-body-size} (beyond: 4.13) before this handler hands it to the
 * {@link FrameSink}. Answers 2.04 once the sink accepted the frame.
 */
class FramesResource extends CoapResource {

    private final FrameSink sink;
    private final CoapDevices devices;

    public FramesResource(FrameSink sink, CoapDevices devices) {
        super("frames");
        this.sink = sink;
        this.devices = devices;
        getAttributes().setTitle("Camera frames (POST, Block1)");
    }

    @Override
    public void handlePOST(CoapExchange exchange) {
        String deviceId = CoapAuthenticator.deviceId(exchange.advanced().getRequest());
        byte[] data = exchange.getRequestPayload();
        if (data.length == 0) {
            exchange.respond(CoapErrorResponse.of(dev.mecgw.app.problem.ErrorKind.BAD_REQUEST, "empty frame", true));
            return;
        }
        Instant now = Instant.now();
        sink.accept(new Frame(deviceId, exchange.getRequestOptions().getContentFormat(), data, now))
                .whenComplete((ok, failure) -> {
                    if (failure != null) {
                        exchange.respond(CoapErrorResponse.of(failure, true));
                    } else {
                        devices.seen(deviceId, now);
                        exchange.respond(new Response(ResponseCode.CHANGED));
                    }
                });
    }
}
