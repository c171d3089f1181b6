package dev.mecgw.app.credentials.app;

import dev.mecgw.app.credentials.ClientCertificates;
import dev.mecgw.app.credentials.CredentialsConfig;
import dev.mecgw.app.credentials.PasswordHasher;
import dev.mecgw.app.credentials.PostgresDeviceCertificates;
import dev.mecgw.app.credentials.SecretCipher;
import dev.mecgw.app.credentials.VerifiedPasswordCache;
import dev.mecgw.app.events.EventLog;
import dev.mecgw.app.gateway.DataDirectory;
import dev.mecgw.app.gateway.GatewayConfig;
import dev.mecgw.app.registry.DeviceRevocations;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.List;
import javax.sql.DataSource;

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

    /** The one memory of verified device passwords: MQTT CONNECT and firmware downloads (issue 18 review). */
    @Produces
    @ApplicationScoped
    VerifiedPasswordCache verifiedPasswordCache(DeviceRevocations revocations) {
        VerifiedPasswordCache cache = new VerifiedPasswordCache(System::nanoTime);
        // Entries are bound to the stored hash, so a re-key misses anyway; a revocation also drops them at once.
        revocations.subscribe((device, reason) -> cache.forget(device));
        return cache;
    }

    @Produces
    @ApplicationScoped
    SecretCipher secretCipher(GatewayConfig gateway) {
        return new SecretCipher(new DataDirectory(gateway.dataDir())
                .secret(SECRETS_KEY, 32, false)
                .bytes());
    }

    /** Client certificates of both front-ends: registered fingerprint, validity dates, optional CAs (issue 15.11). */
    @Produces
    @ApplicationScoped
    ClientCertificates clientCertificates(CredentialsConfig config, DataSource dataSource, EventLog events) {
        List<X509Certificate> cas =
                config.clientCa().map(CredentialsProducers::read).orElse(List.of());
        return new ClientCertificates(new PostgresDeviceCertificates(dataSource), events, Clock.systemUTC(), cas);
    }

    private static List<X509Certificate> read(Path pem) {
        try (InputStream in = Files.newInputStream(pem)) {
            List<X509Certificate> cas = CertificateFactory.getInstance("X.509").generateCertificates(in).stream()
                    .map(X509Certificate.class::cast)
                    .toList();
            if (cas.isEmpty()) {
                throw new IllegalArgumentException("mecgw.credentials.client-ca: no certificate in " + pem);
            }
            return cas;
        } catch (IOException | CertificateException e) {
            throw new IllegalArgumentException("mecgw.credentials.client-ca: cannot read " + pem, e);
        }
    }
}
