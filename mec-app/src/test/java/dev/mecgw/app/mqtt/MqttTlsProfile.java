package dev.mecgw.app.mqtt;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

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
            certificate("server", "localhost");
            certificate("device", "tls-device");
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

    private static void certificate(String name, String commonName) throws IOException {
        // Fresh certificates each run: the device fingerprint must not collide with one registered by an
        // earlier run against the same (kept) test database.
        Files.deleteIfExists(DIR.resolve(name + ".crt"));
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
                DIR.resolve(name + ".key").toString(),
                "-out",
                DIR.resolve(name + ".crt").toString()));
        // PKCS#8 is what the JDK key factories read.
        run(List.of(
                "openssl",
                "pkcs8",
                "-topk8",
                "-nocrypt",
                "-in",
                DIR.resolve(name + ".key").toString(),
                "-out",
                DIR.resolve(name + ".pk8").toString()));
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
