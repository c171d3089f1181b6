package dev.mecgw.cloud.commands;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.mecgw.cloud.kafka.EmbeddedKafka;
import dev.mecgw.cloud.kafka.KafkaClients;
import dev.mecgw.cloud.problem.CloudException;
import dev.mecgw.cloud.store.CloudSchema;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.sql.DataSource;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 17 item 4: the downlink is sent after the commit, so a rolled-back command never reaches a site, and a
 * committed one that Kafka did not confirm stays {@code queued} until the resend loop sends it. Real PostgreSQL
 * with the cloud schema, real in-process Kafka.
 */
class DownlinkOutboxTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SITE = "outbox-site";
    private static final String DEVICE = "d1";

    @TempDir
    static Path kafkaDir;

    private static EmbeddedPostgres postgres;
    private static EmbeddedKafka kafka;
    private static KafkaClients clients;
    private static Producer<String, byte[]> producer;

    @BeforeAll
    static void start() throws Exception {
        postgres = CloudSchema.start();
        execute("INSERT INTO devices (site_id, id, src_generation, src_lsn) VALUES ('" + SITE + "', '" + DEVICE
                + "', 0, 1)");
        // A commit that fails after the insert: what a rolled-back transaction looks like to the code that sends.
        execute("CREATE FUNCTION refuse_poison() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN"
                + " RAISE EXCEPTION 'poison refused at commit'; END $$");
        execute("CREATE CONSTRAINT TRIGGER poison_at_commit AFTER INSERT ON cloud_commands DEFERRABLE INITIALLY"
                + " DEFERRED FOR EACH ROW WHEN (NEW.name = 'poison') EXECUTE FUNCTION refuse_poison()");
        kafka = EmbeddedKafka.start(kafkaDir, "127.0.0.1", 0);
        clients = new KafkaClients(kafka.bootstrap(), Map.of());
        producer = clients.producer();
    }

    @AfterAll
    static void stop() throws Exception {
        producer.close();
        kafka.close();
        postgres.close();
    }

    @Test
    void shouldNeverSendACommandWhoseTransactionRolledBack() throws Exception {
        // given
        Downlink downlink = new Downlink(database(), producer, Clock.systemUTC());
        // when the commit of a command fails
        assertThatThrownBy(() -> command(downlink, "poison"))
                .isInstanceOf(CloudException.class)
                .hasMessageContaining("unavailable");
        String marker = command(downlink, "marker").id();
        // then the site's topic carries the later command only, and no row is left
        assertThat(namesUpTo(marker)).doesNotContain("poison").contains("marker");
        assertThat(single("SELECT count(*) FROM cloud_commands WHERE name = 'poison'"))
                .isEqualTo("0");
        assertThat(single("SELECT sent_at IS NOT NULL FROM cloud_commands WHERE id = '" + marker + "'"))
                .isEqualTo("t");
    }

    @Test
    void shouldKeepACommittedCommandQueuedAndSendItWhenTheResendLoopRuns() throws Exception {
        // given a cloud whose Kafka does not answer: the command commits, the send is not confirmed
        String id;
        try (Producer<String, byte[]> unreachable = unreachableProducer()) {
            Downlink cutOff = new Downlink(database(), unreachable, Clock.systemUTC());
            id = command(cutOff, "late").id();
            assertThat(cutOff.status(SITE, id).status()).isEqualTo("queued");
        }
        assertThat(single("SELECT sent_at IS NULL FROM cloud_commands WHERE id = '" + id + "'"))
                .isEqualTo("t");
        // when an instance with a working Kafka runs its resend loop (as after a restart)
        Downlink restarted = new Downlink(database(), producer, Clock.systemUTC());
        int sent = restarted.resendUnsent(Duration.ZERO);
        // then the command reaches the site's topic, once, with the stored content, and is marked sent
        assertThat(sent).isGreaterThanOrEqualTo(1);
        List<ConsumerRecord<String, byte[]>> records = recordsUpTo(id);
        assertThat(records).filteredOn(r -> text(r).contains(id)).hasSize(1);
        ConsumerRecord<String, byte[]> record =
                records.stream().filter(r -> text(r).contains(id)).findFirst().orElseThrow();
        assertThat(record.key()).isEqualTo(DEVICE);
        assertThat(JSON.readTree(record.value()).path("name").asText()).isEqualTo("late");
        assertThat(JSON.readTree(record.value()).path("expiresAt").asText()).isNotEmpty();
        assertThat(single("SELECT sent_at IS NOT NULL FROM cloud_commands WHERE id = '" + id + "'"))
                .isEqualTo("t");
        assertThat(restarted.resendUnsent(Duration.ZERO))
                .as("nothing left to send")
                .isZero();
        assertThat(restarted.status(SITE, id).status()).as("no site report yet").isEqualTo("queued");
    }

    private static Accepted command(Downlink downlink, String name) {
        return downlink.command(SITE, DEVICE, name, JsonNodeFactory.instance.objectNode(), Duration.ofHours(1));
    }

    /** Command names on the site's topic, from the start up to the record of {@code id}. */
    private static List<String> namesUpTo(String id) throws Exception {
        List<String> names = new ArrayList<>();
        for (ConsumerRecord<String, byte[]> record : recordsUpTo(id)) {
            names.add(JSON.readTree(record.value()).path("name").asText());
        }
        return names;
    }

    private static List<ConsumerRecord<String, byte[]>> recordsUpTo(String id) {
        List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();
        try (Consumer<byte[], byte[]> consumer = clients.consumer("outbox-test-" + UUID.randomUUID())) {
            consumer.subscribe(List.of(SITE + ".downlink"));
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (records.stream().noneMatch(r -> text(r).contains(id)) && System.nanoTime() < deadline) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                    records.add(new ConsumerRecord<>(
                            r.topic(),
                            r.partition(),
                            r.offset(),
                            new String(r.key(), StandardCharsets.UTF_8),
                            r.value()));
                }
            }
        }
        return records;
    }

    private static String text(ConsumerRecord<String, byte[]> record) {
        return new String(record.value(), StandardCharsets.UTF_8);
    }

    private static Producer<String, byte[]> unreachableProducer() throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        }
        return new KafkaProducer<>(
                Map.of(
                        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:" + port,
                        ProducerConfig.MAX_BLOCK_MS_CONFIG, "500",
                        ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, "500",
                        ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "1000"),
                new StringSerializer(),
                new ByteArraySerializer());
    }

    private static DataSource database() {
        return postgres.getPostgresDatabase();
    }

    private static void execute(String sql) throws SQLException {
        try (Connection c = database().getConnection();
                Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    private static String single(String sql) throws SQLException {
        try (Connection c = database().getConnection();
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }
}
