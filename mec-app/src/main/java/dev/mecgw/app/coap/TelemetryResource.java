package dev.mecgw.app.coap;

import dev.mecgw.app.ingest.RawMessage;
import dev.mecgw.app.ingest.RawMessageLog;
import dev.mecgw.app.ingest.TelemetryIngest;
import dev.mecgw.app.ingest.TelemetryPayloadParser;
import dev.mecgw.app.problem.ErrorKind;
import dev.mecgw.app.problem.GatewayException;
import dev.mecgw.app.telemetry.Reading;
import java.util.List;
import java.util.concurrent.CompletionException;
import org.eclipse.californium.core.CoapResource;
import org.eclipse.californium.core.coap.CoAP.ResponseCode;
import org.eclipse.californium.core.coap.Response;
import org.eclipse.californium.core.server.resources.CoapExchange;
import org.eclipse.californium.core.server.resources.Resource;

/**
 * {@code POST /telemetry} (device from the DTLS session) and, when unsecured CoAP is allowed,
 * {@code POST /telemetry/{deviceId}} for registered devices. Answers 2.04 only after the readings are
 * committed (durability rule of {@link TelemetryIngest}); the handler never blocks a protocol thread.
 */
class TelemetryResource extends CoapResource {

    /** Path segment of this resource. */
    public static final String NAME = "telemetry";
    /** Largest telemetry body accepted, in bytes (Block1 allows more for frames, not for telemetry). */
    static final int MAX_PAYLOAD = 64 * 1024;

    private final CoapAuthenticator auth;
    private final TelemetryDecoder decoder;
    private final TelemetryIngest ingest;
    private final CoapDevices devices;
    private final RawMessageLog raw;

    /** @param raw keeps each post of a known device with its outcome for the console (issue 19) */
    public TelemetryResource(
            CoapAuthenticator auth,
            TelemetryPayloadParser parser,
            TelemetryIngest ingest,
            CoapDevices devices,
            RawMessageLog raw) {
        super(NAME);
        this.raw = raw;
        this.auth = auth;
        this.decoder = new TelemetryDecoder(parser);
        this.ingest = ingest;
        this.devices = devices;
        getAttributes().setTitle("Telemetry: POST JSON, SenML JSON or SenML CBOR");
        getAttributes().addContentType(50);
        getAttributes().addContentType(110);
        getAttributes().addContentType(112);
        getAttributes().addResourceType("mecgw.telemetry");
    }

    /** {@code /telemetry/{deviceId}} is served here too; the handler checks the segment. */
    @Override
    public Resource getChild(String name) {
        return this;
    }

    @Override
    public void handlePOST(CoapExchange exchange) {
        CoapRequestContext context = auth.authenticate(exchange.advanced().getRequest());
        List<String> path = exchange.getRequestOptions().getUriPath();
        String pathDevice = path.size() == 2 ? path.get(1) : null;
        if (path.size() > 2
                || (context.authenticated() && pathDevice != null && !pathDevice.equals(context.deviceId()))) {
            exchange.respond(CoapErrorResponse.of(
                    ErrorKind.FORBIDDEN, "a device posts only its own telemetry", context.authenticated()));
            return;
        }
        if (!context.authenticated() && pathDevice == null) {
            exchange.respond(CoapErrorResponse.of(ErrorKind.UNAUTHORIZED, null, false));
            return;
        }
        String deviceId = context.authenticated() ? context.deviceId() : pathDevice;
        if (context.authenticated()) {
            submit(exchange, context, deviceId);
            return;
        }
        devices.requireRegistered(deviceId).whenComplete((ok, failure) -> {
            if (failure == null) {
                submit(exchange, context, deviceId);
            } else {
                respond(exchange, context, deviceId, failure);
            }
        });
    }

    /** Decodes on the calling thread and answers when the ingest has committed (or refused) the readings. */
    private void submit(CoapExchange exchange, CoapRequestContext context, String deviceId) {
        List<Reading> readings;
        try {
            readings = decode(exchange, context, deviceId);
        } catch (RuntimeException e) {
            record(exchange, context, deviceId, e);
            respond(exchange, context, deviceId, e);
            return;
        }
        ingest.submit(readings).whenComplete((ok, failure) -> {
            record(exchange, context, deviceId, failure);
            respond(exchange, context, deviceId, failure);
        });
    }

    /**
     * O(1) append before the answer (issue 19). Only posts of an authenticated or registered device reach here, so
     * a stranger cannot push a real device's messages out.
     */
    private void record(CoapExchange exchange, CoapRequestContext context, String deviceId, Throwable failure) {
        Throwable cause =
                failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
        String rejection = cause == null
                ? null
                : cause instanceof PayloadTooLargeException
                        ? "payload too large (4.13)"
                        : cause instanceof TelemetryDecoder.UnsupportedFormatException
                                ? "unsupported content format (4.15)"
                                : cause instanceof GatewayException g ? g.getMessage() : "not stored: internal error";
        var request = exchange.advanced().getRequest();
        raw.record(new RawMessage(
                deviceId,
                "coap",
                "POST /" + String.join("/", exchange.getRequestOptions().getUriPath()),
                request.isConfirmable() ? "CON" : "NON",
                exchange.getRequestPayload(),
                context.receivedAt(),
                rejection));
    }

    private List<Reading> decode(CoapExchange exchange, CoapRequestContext context, String deviceId) {
        byte[] payload = exchange.getRequestPayload();
        if (payload.length > MAX_PAYLOAD) {
            throw new PayloadTooLargeException();
        }
        return decoder.decode(deviceId, exchange.getRequestOptions().getContentFormat(), payload, context.receivedAt());
    }

    private void respond(CoapExchange exchange, CoapRequestContext context, String deviceId, Throwable failure) {
        if (failure == null) {
            devices.seen(deviceId, context.receivedAt());
            exchange.respond(new Response(ResponseCode.CHANGED));
            return;
        }
        Throwable cause =
                failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
        if (cause instanceof TelemetryDecoder.UnsupportedFormatException) {
            exchange.respond(CoapErrorResponse.unsupportedFormat());
        } else if (cause instanceof PayloadTooLargeException) {
            exchange.respond(CoapErrorResponse.tooLarge(MAX_PAYLOAD));
        } else {
            if (cause instanceof GatewayException g && g.kind() == ErrorKind.BAD_REQUEST) {
                devices.rejected(deviceId, g.getMessage(), exchange.getRequestPayloadSize());
            }
            exchange.respond(CoapErrorResponse.of(cause, context.authenticated()));
        }
    }

    /** Body above {@link #MAX_PAYLOAD} (answered with 4.13). */
    static final class PayloadTooLargeException extends RuntimeException {
        PayloadTooLargeException() {
            super("payload too large", null, false, false);
        }
    }
}
