package dev.mecgw.app.credentials;

import dev.mecgw.app.acl.Principal;
import java.util.Optional;

/**
 * Finds the device a client certificate is registered to; the one lookup behind both front-ends' X.509
 * authentication (MQTT over TLS, CoAP over DTLS). Blocking (database): call on a worker.
 */
public interface DeviceCertificates {

    /**
     * @param x509Sha256 lower-case hex SHA-256 fingerprint of the DER-encoded certificate
     * @return the device (id and type), empty when no device has this certificate
     * @throws dev.mecgw.app.problem.GatewayException (unavailable) when the store cannot be read
     */
    Optional<Principal> deviceFor(String x509Sha256);
}
