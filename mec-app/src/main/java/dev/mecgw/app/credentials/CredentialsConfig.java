package dev.mecgw.app.credentials;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import jakarta.validation.constraints.Min;
import java.nio.file.Path;
import java.util.Optional;

/** Device credential storage under {@code mecgw.credentials}. */
@ConfigMapping(prefix = "mecgw.credentials")
public interface CredentialsConfig {

    /**
     * PBKDF2-HMAC-SHA256 rounds for new password hashes. Higher is slower to brute-force and slower to
     * check at connect time (verified passwords are cached in memory). Default 100000.
     */
    @WithDefault("100000")
    @Min(10_000) int pbkdf2Iterations();

    /**
     * PEM file of CA certificates that device client certificates (MQTT over TLS, CoAP over DTLS) must chain to,
     * on top of their registered fingerprint and validity dates. Absent: fingerprint and validity dates only
     * (self-signed device certificates).
     */
    Optional<Path> clientCa();
}
