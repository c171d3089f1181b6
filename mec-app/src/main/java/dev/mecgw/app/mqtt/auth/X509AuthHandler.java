package dev.mecgw.app.mqtt.auth;

import dev.mecgw.app.acl.Principal;
import dev.mecgw.app.problem.ErrorKind;
import dev.mecgw.app.problem.GatewayException;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateEncodingException;
import java.util.HexFormat;
import java.util.Optional;
import java.util.function.Function;

/**
 * Maps a TLS client certificate's SHA-256 fingerprint to a registered device. The TLS layer accepts
 * any certificate; registration of the fingerprint is the trust decision.
 */
public class X509AuthHandler implements AuthHandler {

    private final Vertx vertx;
    private final Function<String, Optional<Principal>> byFingerprint;

    /** @param byFingerprint blocking lookup of the device owning a lower-case hex fingerprint */
    public X509AuthHandler(Vertx vertx, Function<String, Optional<Principal>> byFingerprint) {
        this.vertx = vertx;
        this.byFingerprint = byFingerprint;
    }

    @Override
    public Future<Optional<Principal>> authenticate(ConnectRequest request) {
        if (request.clientCertificate() == null) {
            return Future.succeededFuture(Optional.empty());
        }
        String fingerprint;
        try {
            fingerprint = HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-256")
                            .digest(request.clientCertificate().getEncoded()));
        } catch (CertificateEncodingException | NoSuchAlgorithmException e) {
            return Future.failedFuture(new GatewayException(ErrorKind.UNAUTHORIZED, "Unreadable client certificate"));
        }
        // An unregistered certificate falls through to user name and password.
        return vertx.executeBlocking(() -> byFingerprint.apply(fingerprint), false);
    }
}
