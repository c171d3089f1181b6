package dev.mecgw.app.credentials.app;

import dev.mecgw.app.credentials.CredentialsConfig;
import dev.mecgw.app.credentials.PasswordHasher;
import dev.mecgw.app.credentials.SecretCipher;
import dev.mecgw.app.gateway.DataDirectory;
import dev.mecgw.app.gateway.GatewayConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;

/** Wires the credential primitives with their configuration and the key in the data directory. */
@ApplicationScoped
public class CredentialsProducers {

    /** Key file for secrets that must be read back (DTLS PSKs), relative to the data directory. */
    static final String SECRETS_KEY = "keys/secrets.key";

    @Produces
    @ApplicationScoped
    PasswordHasher passwordHasher(CredentialsConfig config) {
        return new PasswordHasher(config.pbkdf2Iterations());
    }

    @Produces
    @ApplicationScoped
    SecretCipher secretCipher(GatewayConfig gateway) {
        return new SecretCipher(new DataDirectory(gateway.dataDir())
                .secret(SECRETS_KEY, 32, false)
                .bytes());
    }
}
