package dev.mecgw.app.coap;

import dev.mecgw.app.problem.ErrorKind;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.LongAdder;
import org.eclipse.californium.core.coap.BlockOption;
import org.eclipse.californium.core.coap.CoAP.Code;
import org.eclipse.californium.core.coap.CoAP.ResponseCode;
import org.eclipse.californium.core.coap.Request;
import org.eclipse.californium.core.coap.Response;

/**
 * Decides on every Block1 block before Californium reserves a reassembly buffer for it (issue 15 item 1), so that
 * authorization and the byte budget run on the first block rather than after the whole body arrived. A block is
 * refused when its sender is not authenticated (plain CoAP) unless unsecured telemetry is allowed and it posts to
 * {@code /telemetry/{id}} (4.01, no payload), when its route takes no request body (4.04), or when its reservation
 * would exceed the {@link Block1Budget} (5.03 with Max-Age). Admitted blocks get their route's body limit, so a
 * telemetry upload reserves {@code maxTelemetryBodySize} rather than the frame limit. Thread-safe.
 */
final class Block1Guard {

    /** Routes whose requests carry a body; the rest (discovery, firmware) are read with GET. */
    private static final Set<String> UPLOAD_ROUTES =
            Set.of(TelemetryResource.NAME, "frames", "twin", CommandsResource.NAME);

    private final Block1Budget budget;
    private final boolean allowUnsecured;
    private final int maxFrameBodySize;
    private final int maxOtherBodySize;
    private final LongAdder refusedUnauthenticated = new LongAdder();
    private final LongAdder refusedOverBudget = new LongAdder();

    /**
     * @param maxFrameBodySize body limit of {@code /frames}
     * @param maxOtherBodySize body limit of the other upload routes
     */
    Block1Guard(Block1Budget budget, boolean allowUnsecured, int maxFrameBodySize, int maxOtherBodySize) {
        this.budget = budget;
        this.allowUnsecured = allowUnsecured;
        this.maxFrameBodySize = maxFrameBodySize;
        this.maxOtherBodySize = Math.min(maxFrameBodySize, maxOtherBodySize);
    }

    /**
     * @param block1 the request's Block1 option
     * @return the refusal to send, or null when Californium may take the block
     */
    Response admit(Request request, BlockOption block1) {
        List<String> path = request.getOptions().getUriPath();
        boolean authenticated = CoapAuthenticator.deviceId(request) != null;
        if (!authenticated && !unsecuredTelemetry(request, path)) {
            refusedUnauthenticated.increment();
            return new Response(ResponseCode.UNAUTHORIZED);
        }
        if (path.isEmpty() || !UPLOAD_ROUTES.contains(path.get(0))) {
            return CoapErrorResponse.of(ErrorKind.NOT_FOUND, "no such upload route", authenticated);
        }
        int limit = path.get(0).equals("frames") ? maxFrameBodySize : maxOtherBodySize;
        request.setMaxResourceBodySize(limit);
        Integer size1 = request.getOptions().getSize1();
        // Californium refuses a larger Size1 itself (4.13) and reserves Size1 bytes for a smaller one.
        int reserved = size1 != null && size1 >= 0 && size1 < limit ? size1 : limit;
        if (!budget.admit(request.getSourceContext().getPeerAddress(), key(request), block1.getNum() == 0, reserved)) {
            refusedOverBudget.increment();
            return CoapErrorResponse.of(ErrorKind.UNAVAILABLE, "too many block-wise transfers", authenticated);
        }
        return null;
    }

    /**
     * What releases the transfer of a last block once Californium has taken it. Built before, because Californium
     * offloads the request's options after delivering it.
     */
    Runnable finisher(Request request) {
        InetSocketAddress peer = request.getSourceContext().getPeerAddress();
        String key = key(request);
        return () -> budget.finished(peer, key);
    }

    /** Blocks refused because the sender was not authenticated. */
    long refusedUnauthenticated() {
        return refusedUnauthenticated.sum();
    }

    /** Blocks refused because the budget was spent. */
    long refusedOverBudget() {
        return refusedOverBudget.sum();
    }

    Block1Budget budget() {
        return budget;
    }

    private boolean unsecuredTelemetry(Request request, List<String> path) {
        return allowUnsecured
                && request.getCode() == Code.POST
                && path.size() == 2
                && path.get(0).equals(TelemetryResource.NAME);
    }

    private static String key(Request request) {
        return request.getCode() + " " + request.getOptions().getUriPathString();
    }
}
