package dev.mecgw.app.mqtt.auth;

import dev.mecgw.app.acl.Principal;
import io.vertx.core.Future;
import java.util.Optional;

/**
 * One authentication step for one credential type (Hono's AuthHandler). Handlers are composed into a
 * {@link ChainAuthHandler}.
 */
public interface AuthHandler {

    /**
     * Checks the credentials this handler understands. Never blocks the calling event loop.
     *
     * @return an empty optional when the request carries no credential of this type (the next handler
     *     tries), the principal when they are valid, or a failed future with a
     *     {@link dev.mecgw.app.problem.GatewayException} (UNAUTHORIZED for wrong credentials,
     *     UNAVAILABLE when the registry cannot be reached)
     */
    Future<Optional<Principal>> authenticate(ConnectRequest request);
}
