package dev.mecgw.app.mqtt.auth;

import dev.mecgw.app.acl.Principal;
import dev.mecgw.app.problem.ErrorKind;
import dev.mecgw.app.problem.GatewayException;
import io.vertx.core.Future;
import java.util.List;

/**
 * Tries handlers in order; the first that recognises a credential decides. With no credential at all
 * the client is anonymous, which is refused unless anonymous access is on.
 */
public class ChainAuthHandler {

    private final List<AuthHandler> handlers;
    private final boolean allowAnonymous;

    /** Tries the handlers in the given order (X.509 before password); anonymous only when the operator allowed it. */
    public ChainAuthHandler(List<AuthHandler> handlers, boolean allowAnonymous) {
        this.handlers = List.copyOf(handlers);
        this.allowAnonymous = allowAnonymous;
    }

    /** Resolves the principal or fails with UNAUTHORIZED / UNAVAILABLE. */
    public Future<Principal> authenticate(ConnectRequest request) {
        return next(request, 0);
    }

    private Future<Principal> next(ConnectRequest request, int index) {
        if (index == handlers.size()) {
            if (allowAnonymous && request.username() == null && request.clientCertificate() == null) {
                return Future.succeededFuture(Principal.anonymous());
            }
            return Future.failedFuture(new GatewayException(ErrorKind.UNAUTHORIZED, "Credentials required"));
        }
        return handlers.get(index)
                .authenticate(request)
                .compose(found -> found.map(Future::succeededFuture).orElseGet(() -> next(request, index + 1)));
    }
}
