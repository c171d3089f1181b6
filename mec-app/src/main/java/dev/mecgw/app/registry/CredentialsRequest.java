package dev.mecgw.app.registry;

import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

/**
 * Write-only device secrets. Absent fields are left unset (on create) or unchanged (on update).
 *
 * @param password MQTT/CoAP password, 8..128 characters; stored as a salted PBKDF2 hash
 * @param psk DTLS pre-shared key as hex, 16..64 bytes; stored encrypted with the data-dir key
 * @param x509Sha256 SHA-256 fingerprint of the device's client certificate, 64 hex digits
 */
public record CredentialsRequest(
        @Size(min = 8, max = 128) String password,

        @Pattern(regexp = "([0-9A-Fa-f]{2}){16,64}", message = "must be 16 to 64 bytes as hexadecimal")
        String psk,

        @Pattern(regexp = "[0-9A-Fa-f]{64}", message = "must be a SHA-256 fingerprint (64 hexadecimal digits)")
        String x509Sha256) {

    /** Whether at least one secret is given. */
    public boolean isEmpty() {
        return password == null && psk == null && x509Sha256 == null;
    }

    @Override
    public String toString() {
        // Never let a secret reach a log line through toString().
        return "CredentialsRequest[password=" + (password != null ? "***" : "none") + ", psk="
                + (psk != null ? "***" : "none") + ", x509Sha256=" + x509Sha256 + "]";
    }
}
