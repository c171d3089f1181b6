package dev.mecgw.cloud.kafka;

import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.mecgw.cloud.apply.KafkaApplier;
import dev.mecgw.cloud.store.CloudSchema;
import dev.mecgw.testsupport.kafka.ScramTlsListener;
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

    @TempDir
    static Path dir;

    private static EmbeddedPostgres postgres;
    private static EmbeddedKafka broker;
    private static ScramTlsListener listener;

    @BeforeAll
    static void startBrokerAndDatabase() throws Exception {
        postgres = CloudSchema.start();
        listener = ScramTlsListener.create(dir);
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
        props.putAll(listener.brokerProperties("CLIENT"));
        String bootstrap = "127.0.0.1:" + clientPort;
        broker = EmbeddedKafka.start(
                dir.resolve("kafka"),
                props,
                List.of(ScramTlsListener.credential("cloud", "cloud-secret")),
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
        return listener.clientProperties("cloud", password);
    }

    private static String deviceType() throws Exception {
        try (Connection connection = postgres.getPostgresDatabase().getConnection();
                Statement statement = connection.createStatement();
                ResultSet rows =
                        statement.executeQuery("SELECT type FROM devices WHERE site_id = 'secure-1' AND id = 'd1'")) {
            return rows.next() ? rows.getString(1) : null;
        }
    }
}
