package dev.mecgw.app.coap;

import java.util.Optional;

/** Finds the device a client certificate is registered to. Blocking (database); call on a worker. */
public interface DeviceCertificates {

    /**
     * @param x509Sha256 lower-case hex SHA-256 fingerprint of the DER-encoded certificate
     * @return the device id, empty when no device has this certificate
     */
    Optional<String> deviceFor(String x509Sha256);
}
