package dev.mecgw.app.coap;

import java.nio.charset.StandardCharsets;
import org.eclipse.californium.core.coap.BlockOption;
import org.eclipse.californium.core.coap.CoAP.ResponseCode;
import org.eclipse.californium.core.coap.MediaTypeRegistry;
import org.eclipse.californium.core.coap.Response;
import org.eclipse.californium.core.server.resources.CoapExchange;
import org.eclipse.californium.core.server.resources.DiscoveryResource;
import org.eclipse.californium.core.server.resources.Resource;

/**
 * {@code /.well-known/core} (RFC 6690) that never amplifies: an authenticated (DTLS) peer gets the whole
 * listing, an unauthenticated peer only one Block2 block whose datagram is no larger than its request
 * (RFC 7252 section 11.3); when not even a 16-byte block fits, it gets 4.01 and should use DTLS.
 */
class GuardedDiscoveryResource extends DiscoveryResource {

    /** Header (4) + Content-Format (2) + Block2 (up to 4) + payload marker (1). */
    private static final int RESPONSE_OVERHEAD = 11;

    private final Resource root;
    private final CoapAuthenticator auth;

    public GuardedDiscoveryResource(Resource root, CoapAuthenticator auth) {
        super(root);
        this.root = root;
        this.auth = auth;
    }

    @Override
    public void handleGET(CoapExchange exchange) {
        CoapRequestContext context = auth.authenticate(exchange.advanced().getRequest());
        if (context.authenticated()) {
            super.handleGET(exchange);
            return;
        }
        int tokenLength = exchange.advanced().getRequest().getTokenBytes().length;
        int room = context.requestSize() - RESPONSE_OVERHEAD - tokenLength;
        if (room < 16) {
            exchange.respond(ResponseCode.UNAUTHORIZED);
            return;
        }
        int size = Math.min(Integer.highestOneBit(room), 1024);
        BlockOption requested = exchange.getRequestOptions().getBlock2();
        if (requested != null) {
            size = Math.min(size, requested.getSize());
        }
        byte[] listing =
                discoverTree(root, exchange.getRequestOptions().getUriQuery()).getBytes(StandardCharsets.UTF_8);
        int num = requested == null ? 0 : requested.getOffset() / size;
        int offset = num * size;
        if (offset >= listing.length && listing.length > 0) {
            exchange.respond(ResponseCode.BAD_OPTION);
            return;
        }
        int length = Math.min(size, listing.length - offset);
        Response response = new Response(ResponseCode.CONTENT);
        response.setPayload(java.util.Arrays.copyOfRange(listing, offset, offset + length));
        response.getOptions().setContentFormat(MediaTypeRegistry.APPLICATION_LINK_FORMAT);
        response.getOptions().setBlock2(BlockOption.size2Szx(size), offset + length < listing.length, num);
        exchange.respond(response);
    }
}
