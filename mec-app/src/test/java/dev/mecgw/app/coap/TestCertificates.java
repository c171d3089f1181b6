package dev.mecgw.app.coap;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.cert.Certificate;
import java.util.HexFormat;
import java.util.concurrent.TimeUnit;
import org.eclipse.californium.core.network.CoapEndpoint;
import org.eclipse.californium.core.network.Endpoint;
import org.eclipse.californium.elements.config.Configuration;
import org.eclipse.californium.scandium.DTLSConnector;
import org.eclipse.californium.scandium.config.DtlsConnectorConfig;
import org.eclipse.californium.scandium.dtls.CertificateType;
import org.eclipse.californium.scandium.dtls.x509.SingleCertificateProvider;
import org.eclipse.californium.scandium.dtls.x509.StaticNewAdvancedCertificateVerifier;

/**
 * Test fixture: fresh self-signed EC (P-256) certificates made with the JDK's keytool in PKCS#12 files, their
 * registry fingerprints, and DTLS client endpoints that present them.
 */
public final class TestCertificates {

    static final String PASSWORD = "changeit";

    private TestCertificates() {}

    /** Creates {@code <dir>/<name>.p12} (replacing an older one) and returns its key entry. */
    static KeyStore.PrivateKeyEntry create(Path dir, String name) throws IOException, GeneralSecurityException {
        return create(dir, name, "+0d", 2);
    }

    /**
     * As {@link #create(Path, String)}, valid from {@code startDate} (keytool's {@code -startdate}, e.g. {@code -10d})
     * for {@code days}: {@code ("-10d", 1)} makes a certificate that expired nine days ago (issue 15.11).
     */
    public static KeyStore.PrivateKeyEntry create(Path dir, String name, String startDate, int days)
            throws IOException, GeneralSecurityException {
        Path file = dir.resolve(name + ".p12");
        Files.createDirectories(dir);
        Files.deleteIfExists(file);
        Process keytool = new ProcessBuilder(
                        Path.of(System.getProperty("java.home"), "bin", "keytool")
                                .toString(),
                        "-genkeypair",
                        "-startdate",
                        startDate,
                        "-alias",
                        name,
                        "-keyalg",
                        "EC",
                        "-groupname",
                        "secp256r1",
                        "-sigalg",
                        "SHA256withECDSA",
                        "-dname",
                        "CN=" + name,
                        "-validity",
                        Integer.toString(days),
                        "-storetype",
                        "PKCS12",
                        "-ext",
                        "SAN=ip:127.0.0.1",
                        "-keystore",
                        file.toString(),
                        "-storepass",
                        PASSWORD,
                        "-keypass",
                        PASSWORD)
                .redirectErrorStream(true)
                .start();
        String output = new String(keytool.getInputStream().readAllBytes());
        try {
            if (!keytool.waitFor(30, TimeUnit.SECONDS) || keytool.exitValue() != 0) {
                throw new IOException("keytool failed: " + output);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
        return load(file, name);
    }

    /** The key entry {@code name} of a PKCS#12 file made by {@link #create}. */
    static KeyStore.PrivateKeyEntry load(Path file, String name) throws IOException, GeneralSecurityException {
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(file)) {
            store.load(in, PASSWORD.toCharArray());
        }
        return (KeyStore.PrivateKeyEntry) store.getEntry(name, new KeyStore.PasswordProtection(PASSWORD.toCharArray()));
    }

    /** SHA-256 of the DER certificate in hex, as registered in {@code credentials.x509Sha256}. */
    public static String fingerprint(KeyStore.PrivateKeyEntry entry) throws GeneralSecurityException {
        return HexFormat.of()
                .formatHex(MessageDigest.getInstance("SHA-256")
                        .digest(entry.getCertificate().getEncoded()));
    }

    /**
     * A DTLS client endpoint presenting {@code identity}; it trusts only {@code server}'s certificate, or any
     * when {@code server} is null.
     */
    static Endpoint clientEndpoint(KeyStore.PrivateKeyEntry identity, Certificate server) {
        // the X.509 handshake costs the most CPU of all: a loaded machine needs the retransmissions
        Configuration config = CoapTestDevices.dtlsClientConfiguration();
        StaticNewAdvancedCertificateVerifier.Builder trust = StaticNewAdvancedCertificateVerifier.builder();
        if (server == null) {
            trust.setTrustAllCertificates();
        } else {
            trust.setTrustedCertificates(server);
        }
        return CoapEndpoint.builder()
                .setConfiguration(config)
                .setConnector(new DTLSConnector(DtlsConnectorConfig.builder(config)
                        .setAddress(new InetSocketAddress("127.0.0.1", 0))
                        .setCertificateIdentityProvider(new SingleCertificateProvider(
                                identity.getPrivateKey(), identity.getCertificateChain(), CertificateType.X_509))
                        .setAdvancedCertificateVerifier(trust.build())
                        .build()))
                .build();
    }
}
