package dev.mecgw.app.coap;

import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.californium.core.coap.CoAP.Code;
import org.eclipse.californium.core.coap.CoAP.ResponseCode;
import org.eclipse.californium.core.coap.Request;
import org.eclipse.californium.core.coap.Response;
import org.eclipse.californium.core.network.Exchange;
import org.eclipse.californium.core.server.ServerMessageDeliverer;
import org.eclipse.californium.core.server.resources.Resource;
import org.eclipse.californium.elements.config.Configuration;

/**
 * Front of the router: applies the per-peer rate limit and keeps unauthenticated peers to the few routes
 * open to them before Californium dispatches to the resource tree. Over-rate unauthenticated peers get a
 * 4-byte reset (never more bytes than they sent); over-rate devices get 5.03 with Max-Age. Then the
 * {@link CoapNetworkGate} checks the device against the 5G network (issue #7).
 */
class CoapRequestDeliverer extends ServerMessageDeliverer {

    private static final List<String> DISCOVERY = List.of(".well-known", "core");

    private final CoapPeerSessions sessions;
    private final boolean allowUnsecured;
    private final CoapNetworkGate gate;
    // Requests the network gate held and then admitted: they passed the checks below once already.
    private final Set<Exchange> released = ConcurrentHashMap.newKeySet();
    private final Block2Transfers downloads = new Block2Transfers();

    public CoapRequestDeliverer(
            Resource root, Configuration config, CoapPeerSessions sessions, boolean allowUnsecured) {
        this(root, config, sessions, allowUnsecured, null);
    }

    /** @param gate the 5G network check, or null for none */
    public CoapRequestDeliverer(
            Resource root,
            Configuration config,
            CoapPeerSessions sessions,
            boolean allowUnsecured,
            CoapNetworkGate gate) {
        super(root, config);
        this.sessions = sessions;
        this.allowUnsecured = allowUnsecured;
        this.gate = gate;
    }

    @Override
    protected boolean preDeliverRequest(Exchange exchange) {
        if (!released.isEmpty() && released.remove(exchange)) {
            return false;
        }
        Request request = exchange.getRequest();
        boolean authenticated = CoapAuthenticator.deviceId(request) != null;
        long now = System.nanoTime();
        // Issue 18: the blocks after the first of a firmware download are not counted against the rate.
        boolean continued = authenticated && downloads.continues(request, now);
        if (!continued && !sessions.admit(request.getSourceContext().getPeerAddress(), authenticated)) {
            if (authenticated) {
                exchange.sendResponse(CoapErrorResponse.of(
                        dev.mecgw.app.problem.ErrorKind.QUOTA_EXCEEDED, "rate limit exceeded", true));
            } else {
                exchange.sendReject();
            }
            return true;
        }
        if (!authenticated && !openToUnauthenticated(request)) {
            exchange.sendResponse(new Response(ResponseCode.UNAUTHORIZED));
            return true;
        }
        if (authenticated && !continued) {
            downloads.track(request, now);
        }
        return gate != null
                && gate.intercept(
                        exchange,
                        authenticated ? CoapAuthenticator.deviceId(request) : unsecuredDevice(request),
                        authenticated,
                        this::redeliver);
    }

    // Californium's deliverRequest always runs preDeliverRequest; mark the exchange so it is counted once.
    private void redeliver(Exchange exchange) {
        released.add(exchange);
        deliverRequest(exchange);
    }

    private static String unsecuredDevice(Request request) {
        List<String> path = request.getOptions().getUriPath();
        return path.size() == 2 && path.get(0).equals(TelemetryResource.NAME) ? path.get(1) : null;
    }

    private boolean openToUnauthenticated(Request request) {
        List<String> path = request.getOptions().getUriPath();
        if (request.getCode() == Code.GET && path.equals(DISCOVERY)) {
            return true;
        }
        return allowUnsecured
                && request.getCode() == Code.POST
                && path.size() == 2
                && path.get(0).equals(TelemetryResource.NAME);
    }
}
