package dev.mecgw.testsupport.kafka;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A Kafka listener that speaks only SASL SCRAM-SHA-512 over TLS, for the tests of the pass-through client settings
 * (the gateway's {@code mecgw.sync.kafka.properties."..."}, the cloud's {@code mecgw.cloud.kafka.properties."..."}):
 * a self-signed EC certificate for {@code localhost}/127.0.0.1 made with the JDK's keytool, the broker settings of
 * the listener, and the client settings of a SCRAM user. Each test's broker adds the listener to its own listener
 * list and security protocol map.
 */
public final class ScramTlsListener {

    private static final String STORE_PASSWORD = "changeit";
    private static final String LOGIN_MODULE = "org.apache.kafka.common.security.scram.ScramLoginModule required";

    private final Path keystore;
    private final Path certificate;

    private ScramTlsListener(Path keystore, Path certificate) {
        this.keystore = keystore;
        this.certificate = certificate;
    }

    /**
     * Creates the broker's key pair (valid two days) and its PEM certificate in {@code dir}.
     *
     * @throws IOException when keytool cannot run or refuses
     */
    public static ScramTlsListener create(Path dir) throws IOException, InterruptedException {
        Path keystore = dir.resolve("broker.p12");
        Path certificate = dir.resolve("broker.crt");
        keytool(
                "-genkeypair",
                "-alias",
                "broker",
                "-keyalg",
                "EC",
                "-groupname",
                "secp256r1",
                "-dname",
                "CN=localhost",
                "-ext",
                "SAN=ip:127.0.0.1,dns:localhost",
                "-validity",
                "2",
                "-keystore",
                keystore.toString(),
                "-storetype",
                "PKCS12",
                "-storepass",
                STORE_PASSWORD,
                "-keypass",
                STORE_PASSWORD);
        keytool(
                "-exportcert",
                "-rfc",
                "-alias",
                "broker",
                "-keystore",
                keystore.toString(),
                "-storepass",
                STORE_PASSWORD,
                "-file",
                certificate.toString());
        return new ScramTlsListener(keystore, certificate);
    }

    /** The broker settings that make listener {@code listener} (e.g. {@code EDGE}) speak SCRAM-SHA-512 over TLS. */
    public Map<String, Object> brokerProperties(String listener) {
        String prefix = "listener.name." + listener.toLowerCase(Locale.ROOT) + ".";
        return Map.of(
                prefix + "sasl.enabled.mechanisms",
                "SCRAM-SHA-512",
                prefix + "scram-sha-512.sasl.jaas.config",
                LOGIN_MODULE + ";",
                prefix + "ssl.keystore.type",
                "PKCS12",
                prefix + "ssl.keystore.location",
                keystore.toString(),
                prefix + "ssl.keystore.password",
                STORE_PASSWORD,
                prefix + "ssl.key.password",
                STORE_PASSWORD);
    }

    /** The SCRAM credential the broker's storage is formatted with, in {@code kafka-storage --add-scram} form. */
    public static String credential(String user, String password) {
        return "SCRAM-SHA-512=[name=" + user + ",password=" + password + "]";
    }

    /** The client settings of {@code user} logging in with {@code password}, trusting only the broker's certificate. */
    public Map<String, String> clientProperties(String user, String password) {
        return Map.of(
                "security.protocol", "SASL_SSL",
                "sasl.mechanism", "SCRAM-SHA-512",
                "sasl.jaas.config", LOGIN_MODULE + " username=\"" + user + "\" password=\"" + password + "\";",
                "ssl.truststore.type", "PEM",
                "ssl.truststore.location", certificate.toString());
    }

    private static void keytool(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (process.waitFor() != 0) {
            throw new IOException("keytool " + args[0] + " failed: " + output);
        }
    }
}
