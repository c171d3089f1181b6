package dev.mecgw.app.coap;

import dev.mecgw.app.problem.ErrorKind;
import dev.mecgw.app.problem.GatewayException;
import org.eclipse.californium.core.coap.CoAP.ResponseCode;
import org.eclipse.californium.core.coap.MediaTypeRegistry;
import org.eclipse.californium.core.coap.Response;
import org.jboss.logging.Logger;

/**
 * The one place where failures become CoAP responses (RFC 7252 section 5.9.2). Retryable failures
 * (quota, unavailable) are 5.03 with Max-Age as the retry hint; the diagnostic payload is the
 * client-safe message, and is left out for unauthenticated peers so that an error never amplifies a
 * spoofed request.
 */
final class CoapErrorResponse {

    /** Seconds a device should wait before retrying after a 5.03 (Max-Age option). */
    public static final int RETRY_AFTER_SECONDS = 5;

    private static final Logger LOG = Logger.getLogger(CoapErrorResponse.class);

    private CoapErrorResponse() {}

    /** The response code for a kind; a pure function, see {@code CoapErrorResponseTest}. */
    public static ResponseCode code(ErrorKind kind) {
        return switch (kind) {
            case BAD_REQUEST, UNPROCESSABLE -> ResponseCode.BAD_REQUEST;
            case UNAUTHORIZED -> ResponseCode.UNAUTHORIZED;
            case FORBIDDEN -> ResponseCode.FORBIDDEN;
            case NOT_FOUND -> ResponseCode.NOT_FOUND;
            case CONFLICT -> ResponseCode.CONFLICT;
            case QUOTA_EXCEEDED, UNAVAILABLE -> ResponseCode.SERVICE_UNAVAILABLE;
            case INTERNAL -> ResponseCode.INTERNAL_SERVER_ERROR;
        };
    }

    /**
     * Builds the response for any failure; unexpected exceptions become 5.00 and are logged here, once.
     *
     * @param failure the failure, possibly wrapped in a CompletionException
     * @param authenticated whether the peer is authenticated (DTLS); only then a diagnostic payload is added
     */
    public static Response of(Throwable failure, boolean authenticated) {
        Throwable cause = unwrap(failure);
        if (cause instanceof GatewayException g) {
            return of(g.kind(), g.getMessage(), authenticated);
        }
        LOG.error("CoAP request failed unexpectedly", cause);
        return of(ErrorKind.INTERNAL, "internal error", authenticated);
    }

    /** Builds the response for a kind and client-safe message. */
    public static Response of(ErrorKind kind, String message, boolean authenticated) {
        Response response = new Response(code(kind));
        if (response.getCode() == ResponseCode.SERVICE_UNAVAILABLE) {
            response.getOptions().setMaxAge(RETRY_AFTER_SECONDS);
        }
        if (authenticated && message != null) {
            response.setPayload(message);
            response.getOptions().setContentFormat(MediaTypeRegistry.TEXT_PLAIN);
        }
        return response;
    }

    /** 4.13 with Size1 naming the largest accepted body (RFC 7959 section 4). */
    public static Response tooLarge(int maxBytes) {
        Response response = new Response(ResponseCode.REQUEST_ENTITY_TOO_LARGE);
        response.getOptions().setSize1(maxBytes);
        return response;
    }

    /** 4.15 for a Content-Format the resource does not read. */
    public static Response unsupportedFormat() {
        return new Response(ResponseCode.UNSUPPORTED_CONTENT_FORMAT);
    }

    private static Throwable unwrap(Throwable failure) {
        Throwable cause = failure;
        while ((cause instanceof java.util.concurrent.CompletionException
                        || cause instanceof java.util.concurrent.ExecutionException)
                && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause;
    }
}
