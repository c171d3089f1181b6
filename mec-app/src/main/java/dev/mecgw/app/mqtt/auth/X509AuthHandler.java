package dev.mecgw.app.mqtt.auth;

import dev.mecgw.app.acl.Principal;
import dev.mecgw.app.credentials.ClientCertificates;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.Optional;

/**
 * Maps a TLS client certificate to a registered device by its SHA-256 fingerprint; a registered certificate
 * must also be within its validity dates (and chain to a configured CA), see {@link ClientCertificates}. The TLS
 * layer accepts any certificate; these checks are the trust decision.
 */
public class X509AuthHandler implements AuthHandler {

    private final Vertx vertx;
    private final ClientCertificates certificates;

    public X509AuthHandler(Vertx vertx, ClientCertificates certificates) {
        this.vertx = vertx;
        this.certificates = certificates;
    }

    @Override
    public Future<Optional<Principal>> authenticate(ConnectRequest request) {
        if (request.clientChain().isEmpty()) {
            return Future.succeededFuture(Optional.empty());
        }
        // An unregistered certificate falls through to user name and password; an expired registered one
        // fails (FORBIDDEN, CONNACK "not authorized") with an event.
        return vertx.executeBlocking(() -> certificates.deviceFor(request.clientChain(), "mqtt"), false);
    }
}
