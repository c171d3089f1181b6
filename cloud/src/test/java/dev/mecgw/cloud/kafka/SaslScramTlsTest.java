package dev.mecgw.cloud.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.mecgw.cloud.apply.KafkaApplier;
import dev.mecgw.cloud.store.CloudSchema;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The cloud's Kafka clients against a broker that only speaks SASL SCRAM-SHA-512 over TLS, configured through the
 * pass-through properties exactly as {@code mecgw.cloud.kafka.properties."..."} (and the Ansible role) set them: a
 * gateway-style producer's change lands in the typed table; a wrong password is refused.
 */
class SaslScramTlsTest {

    private static final String PASSWORD = "changeit";

    @TempDir
    static Path dir;

    private static EmbeddedPostgres postgres;
    private static EmbeddedKafka broker;
    private static Path caPem;

    @BeforeAll
    static void startBrokerAndDatabase() throws Exception {
        postgres = CloudSchema.start();
        Path keystore = dir.resolve("broker.p12");
        caPem = dir.resolve("broker.crt");
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
                PASSWORD,
                "-keypass",
                PASSWORD);
        keytool(
                "-exportcert",
                "-rfc",
                "-alias",
                "broker",
                "-keystore",
                keystore.toString(),
                "-storepass",
                PASSWORD,
                "-file",
                caPem.toString());

        int clientPort = EmbeddedKafka.freePort("127.0.0.1");
        int internalPort = EmbeddedKafka.freePort("127.0.0.1");
        int controllerPort = EmbeddedKafka.freePort("127.0.0.1");
        Map<String, Object> props = EmbeddedKafka.baseProps(controllerPort);
        props.put(
                "listeners",
                "CLIENT://127.0.0.1:" + clientPort + ",INTERNAL://127.0.0.1:" + internalPort
                        + ",CONTROLLER://127.0.0.1:" + controllerPort);
        props.put("advertised.listeners", "CLIENT://127.0.0.1:" + clientPort + ",INTERNAL://127.0.0.1:" + internalPort);
        props.put("listener.security.protocol.map", "CLIENT:SASL_SSL,INTERNAL:PLAINTEXT,CONTROLLER:PLAINTEXT");
        props.put("inter.broker.listener.name", "INTERNAL");
        props.put("listener.name.client.sasl.enabled.mechanisms", "SCRAM-SHA-512");
        props.put(
                "listener.name.client.scram-sha-512.sasl.jaas.config",
                "org.apache.kafka.common.security.scram.ScramLoginModule required;");
        props.put("listener.name.client.ssl.keystore.type", "PKCS12");
        props.put("listener.name.client.ssl.keystore.location", keystore.toString());
        props.put("listener.name.client.ssl.keystore.password", PASSWORD);
        props.put("listener.name.client.ssl.key.password", PASSWORD);
        String bootstrap = "127.0.0.1:" + clientPort;
        broker = EmbeddedKafka.start(
                dir.resolve("kafka"),
                props,
                List.of("SCRAM-SHA-512=[name=cloud,password=cloud-secret]"),
                bootstrap,
                new HashMap<>(clientProperties("cloud-secret")));
    }

    @AfterAll
    static void stop() throws Exception {
        if (broker != null) {
            broker.close();
        }
        if (postgres != null) {
            postgres.close();
        }
    }

    @Test
    void shouldApplyAChangeOverSaslScramAndTlsWhenTheClientPropertiesAreConfigured() throws Exception {
        KafkaClients clients = new KafkaClients(broker.bootstrap(), clientProperties("cloud-secret"));
        String value = "{\"before\":null,\"after\":{\"id\":\"d1\",\"type\":\"sensor\",\"online\":true},\"op\":\"c\","
                + "\"ts_ms\":1,\"source\":{\"site\":\"secure-1\",\"schema\":\"public\",\"table\":\"devices\","
                + "\"lsn\":10,\"generation\":1,\"ts_ms\":1}}";
        try (Producer<String, byte[]> producer = clients.producer()) {
            producer.send(new ProducerRecord<>(
                            "secure-1.public.devices", "{\"id\":\"d1\"}", value.getBytes(StandardCharsets.UTF_8)))
                    .get(60, TimeUnit.SECONDS);
        }

        KafkaApplier applier =
                new KafkaApplier(clients.consumer("secure"), postgres.getPostgresDatabase(), Duration.ofMillis(200));
        Thread thread = new Thread(applier, "secure-applier");
        thread.start();
        try {
            await().atMost(Duration.ofSeconds(90)).until(() -> "sensor".equals(deviceType()));
        } finally {
            applier.close();
            thread.join();
        }
    }

    @Test
    void shouldRefuseAClientWithAWrongPassword() {
        KafkaClients clients = new KafkaClients(broker.bootstrap(), clientProperties("wrong"));
        try (Producer<String, byte[]> producer = clients.producer()) {
            assertThatThrownBy(() -> producer.send(new ProducerRecord<>("secure-1.public.devices", "k", new byte[1]))
                            .get(60, TimeUnit.SECONDS))
                    .hasRootCauseInstanceOf(SaslAuthenticationException.class);
        }
    }

    private static Map<String, String> clientProperties(String password) {
        return Map.of(
                "security.protocol", "SASL_SSL",
                "sasl.mechanism", "SCRAM-SHA-512",
                "sasl.jaas.config",
                        "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"cloud\" password=\""
                                + password + "\";",
                "ssl.truststore.type", "PEM",
                "ssl.truststore.location", caPem.toString());
    }

    private static String deviceType() throws Exception {
        try (Connection connection = postgres.getPostgresDatabase().getConnection();
                Statement statement = connection.createStatement();
                ResultSet rows =
                        statement.executeQuery("SELECT type FROM devices WHERE site_id = 'secure-1' AND id = 'd1'")) {
            return rows.next() ? rows.getString(1) : null;
        }
    }

    private static void keytool(String... args) throws Exception {
        List<String> command = new java.util.ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor()).as(output).isZero();
    }
}
