package dev.mecgw.app.mqtt;

import com.hivemq.client.mqtt.MqttClientSslConfig;
import io.quarkus.test.junit.QuarkusTestProfile;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.util.List;
import java.util.Map;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.TrustManagerFactory;

/**
 * Turns the TLS listener on with a fresh self-signed server certificate and makes one device client
 * certificate, both with Debian's openssl, under target/mqtt-tls.
 */
public class MqttTlsProfile implements QuarkusTestProfile {

    static final Path DIR = Path.of("target", "mqtt-tls").toAbsolutePath();

    @Override
    public Map<String, String> getConfigOverrides() {
        try {
            Files.createDirectories(DIR);
            certificate(DIR, "server", "localhost");
            certificate(DIR, "device", "tls-device");
        } catch (IOException e) {
            throw new IllegalStateException("Cannot create test certificates in " + DIR, e);
        }
        return Map.of(
                "mecgw.mqtt.tls-cert",
                DIR.resolve("server.crt").toString(),
                "mecgw.mqtt.tls-key",
                DIR.resolve("server.key").toString(),
                "mecgw.mqtt.tls-port",
                "0");
    }

    /**
     * Makes {@code <dir>/<name>.crt}, {@code .key} and {@code .pk8} (PKCS#8): a self-signed P-256 certificate for
     * {@code commonName}, valid two days, with {@code localhost} and 127.0.0.1 as subject alternative names.
     */
    public static void certificate(Path dir, String name, String commonName) throws IOException {
        // Fresh certificates each run: the device fingerprint must not collide with one registered by an
        // earlier run against the same (kept) test database.
        Files.createDirectories(dir);
        Files.deleteIfExists(dir.resolve(name + ".crt"));
        run(List.of(
                "openssl",
                "req",
                "-x509",
                "-newkey",
                "ec",
                "-pkeyopt",
                "ec_paramgen_curve:P-256",
                "-nodes",
                "-days",
                "2",
                "-subj",
                "/CN=" + commonName,
                "-addext",
                "subjectAltName=DNS:localhost,IP:127.0.0.1",
                "-keyout",
                dir.resolve(name + ".key").toString(),
                "-out",
                dir.resolve(name + ".crt").toString()));
        // PKCS#8 is what the JDK key factories read.
        run(List.of(
                "openssl",
                "pkcs8",
                "-topk8",
                "-nocrypt",
                "-in",
                dir.resolve(name + ".key").toString(),
                "-out",
                dir.resolve(name + ".pk8").toString()));
    }

    /** TLS settings of a device client that presents {@code identity} and trusts only {@code serverCertificate}. */
    public static MqttClientSslConfig clientSsl(Path serverCertificate, KeyStore.PrivateKeyEntry identity)
            throws IOException, GeneralSecurityException {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        try (InputStream in = Files.newInputStream(serverCertificate)) {
            trust.setCertificateEntry(
                    "gateway", CertificateFactory.getInstance("X.509").generateCertificate(in));
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        KeyStore keys = KeyStore.getInstance("PKCS12");
        keys.load(null, null);
        keys.setKeyEntry("device", identity.getPrivateKey(), new char[0], identity.getCertificateChain());
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(keys, new char[0]);
        return MqttClientSslConfig.builder()
                .trustManagerFactory(tmf)
                .keyManagerFactory(kmf)
                .build();
    }

    private static void run(List<String> command) throws IOException {
        try {
            Process process =
                    new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes());
            if (process.waitFor() != 0) {
                throw new IOException(String.join(" ", command) + " failed: " + output);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }
}
