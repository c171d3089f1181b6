package dev.mecgw.sync.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.mecgw.sync.backhaul.BackhaulMonitor;
import dev.mecgw.sync.cdc.ChangeEvent;
import dev.mecgw.testsupport.kafka.EmbeddedKafkaBroker;
import dev.mecgw.testsupport.kafka.ScramTlsListener;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.commons.lang3.exception.ExceptionUtils;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The gateway's change producer ({@link KafkaChangeSink}, as mec-app's SyncChannel builds it from
 * {@code mecgw.sync.kafka.properties."..."}) against a broker whose edge listener only speaks SASL SCRAM-SHA-512 over
 * TLS: a change is read back by a SCRAM+TLS consumer; a wrong password is refused and nothing is delivered.
 */
class GatewaySaslScramTlsTest {

    @TempDir
    static Path dir;

    private static EmbeddedKafkaBroker broker;
    private static ScramTlsListener listener;

    @BeforeAll
    static void startBroker() throws Exception {
        listener = ScramTlsListener.create(dir);
        Map<String, Object> edge = new HashMap<>(listener.brokerProperties("EDGE"));
        edge.put("listener.security.protocol.map", "INTERNAL:PLAINTEXT,EDGE:SASL_SSL,CONTROLLER:PLAINTEXT");
        broker = EmbeddedKafkaBroker.start(
                dir.resolve("kafka"), edge, List.of(ScramTlsListener.credential("gateway", "gateway-secret")));
    }

    @AfterAll
    static void stop() {
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    void shouldDeliverAChangeOverSaslScramAndTlsWhenThePassThroughPropertiesAreConfigured() throws Exception {
        BackhaulMonitor monitor = new BackhaulMonitor(Clock.systemUTC(), Duration.ofSeconds(30));
        ChangeEvent change = change("public.devices");
        try (KafkaChangeSink sink =
                KafkaChangeSink.create(broker.edgeBootstrap(), "zstd", passThrough("gateway-secret"), monitor)) {
            // The first metadata fetch (TLS handshake and SCRAM exchange) may outlast max.block.ms on a loaded
            // machine; a failed send delivers nothing and the capture resends it, as here.
            await().atMost(Duration.ofSeconds(90)).until(() -> failureOf(sink.send(change)) == null);
        }
        assertThat(monitor.acknowledgedTotal()).isEqualTo(1);

        Map<String, Object> config = new HashMap<>(passThrough("gateway-secret"));
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.edgeBootstrap());
        config.put(ConsumerConfig.GROUP_ID_CONFIG, "secure-reader");
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        List<ChangeEvent> received = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer =
                new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(ChangeEventCodec.topic(change.siteId(), change.table())));
            await().atMost(Duration.ofSeconds(90)).until(() -> {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    received.add(ChangeEventCodec.decode(record.key(), record.value()));
                }
                return !received.isEmpty();
            });
        }
        assertThat(received).singleElement().satisfies(event -> {
            assertThat(event.siteId()).isEqualTo("secure-1");
            assertThat(event.key()).isEqualTo("{\"id\":\"d1\"}");
            assertThat(event.after()).containsEntry("type", "sensor");
        });
    }

    @Test
    void shouldRefuseTheProducerWithAWrongPasswordAndDeliverNothing() throws Exception {
        BackhaulMonitor monitor = new BackhaulMonitor(Clock.systemUTC(), Duration.ofSeconds(30));
        ChangeEvent change = change("public.refused");
        try (KafkaChangeSink sink =
                KafkaChangeSink.create(broker.edgeBootstrap(), "zstd", passThrough("wrong"), monitor)) {
            await().atMost(Duration.ofSeconds(90))
                    .until(() ->
                            ExceptionUtils.indexOfType(failureOf(sink.send(change)), SaslAuthenticationException.class)
                                    >= 0);
        }
        assertThat(monitor.acknowledgedTotal()).isZero();
        assertThat(monitor.failuresTotal()).isPositive();
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.cloudBootstrap()))) {
            assertThat(admin.listTopics().names().get(60, TimeUnit.SECONDS))
                    .doesNotContain(ChangeEventCodec.topic(change.siteId(), change.table()));
        }
    }

    private static ChangeEvent change(String table) {
        return new ChangeEvent(
                "secure-1",
                table,
                ChangeEvent.Op.CREATE,
                10,
                Instant.parse("2026-01-01T00:00:00Z"),
                "{\"id\":\"d1\"}",
                Map.of("id", "d1", "type", "sensor"));
    }

    /** @return null when the change was acknowledged, else why it was not */
    private static Throwable failureOf(CompletableFuture<Void> ack) throws Exception {
        try {
            ack.get(60, TimeUnit.SECONDS);
            return null;
        } catch (ExecutionException e) {
            return e.getCause();
        }
    }

    /** The gateway's {@code mecgw.sync.kafka.properties."..."} for SCRAM over TLS. */
    private static Map<String, String> passThrough(String password) {
        return listener.clientProperties("gateway", password);
    }
}
