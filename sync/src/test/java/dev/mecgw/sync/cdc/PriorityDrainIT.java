package dev.mecgw.sync.cdc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.mecgw.sync.backhaul.BackhaulMonitor;
import dev.mecgw.sync.kafka.KafkaChangeSink;
import dev.mecgw.testsupport.sync.SyncFixture;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Issue 14.7: a gateway restarted while the cloud is unreachable, with a bulk backlog behind it, delivers its critical
 * changes first once the link returns, and the bulk lane waits meanwhile. The topics use the broker's append time,
 * so record timestamps say when each change reached the cloud. (The 1 s latency figure is measured by
 * {@code bench/sync}, not asserted here.)
 */
class PriorityDrainIT {

    private static final Duration ARRIVAL = Duration.ofSeconds(120);
    private static final String SITE = "site-prio";
    private static final int CRITICAL_ROWS = 30;
    private static final int BULK_ROWS = Integer.getInteger("sync.it.bulkRows", 20_000);

    @RegisterExtension
    static final SyncFixture sync = SyncFixture.edgeAndKafka();

    @BeforeAll
    static void givenTablesAndTopics() throws Exception {
        sync.execute("CREATE TABLE events (id int PRIMARY KEY, kind text NOT NULL)");
        sync.execute("CREATE TABLE rollups (id int PRIMARY KEY, value double precision NOT NULL)");
        try (Admin admin = Admin.create(
                Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, sync.kafka().cloudBootstrap()))) {
            Map<String, String> appendTime = Map.of("message.timestamp.type", "LogAppendTime");
            admin.createTopics(List.of(
                            new NewTopic(SITE + ".public.events", 1, (short) 1).configs(appendTime),
                            new NewTopic(SITE + ".public.rollups", 1, (short) 1).configs(appendTime)))
                    .all()
                    .get();
        }
    }

    @Test
    void shouldDeliverCriticalChangesBeforeAnyBulkRowWhenGatewayRestartedDuringOutage() throws Exception {
        // given: a gateway whose slots exist, then an outage with a bulk backlog and newer critical changes
        Gateway first = Gateway.start();
        // (the critical capture reads the mark of its start on a quiet database, where PostgreSQL 15 would stream it
        // nothing else, and only then lets the bulk lane send)
        await().atMost(ARRIVAL).until(() -> !first.gate.criticalPending());
        assertThat(first.critical.capture.startBarrierReadBack()).isTrue();
        sync.kafka().backhaul().cut();
        sync.execute("INSERT INTO rollups SELECT g, g * 0.5 FROM generate_series(1, " + BULK_ROWS + ") g");
        sync.execute("INSERT INTO events SELECT g, 'alarm' FROM generate_series(1, " + CRITICAL_ROWS + ") g");
        first.close();
        // when: the gateway restarts while the cloud is still unreachable (its producers have no metadata) and the
        // link returns once both captures are trying
        Gateway second = Gateway.start();
        try {
            await().atMost(ARRIVAL).until(() -> second.critical.monitor.failuresTotal() > 0);
            assertThat(second.gate.criticalPending()).isTrue();
            sync.kafka().backhaul().restore();
            // then: everything arrives, and the last critical change reached the cloud no later than the first
            // bulk row
            List<Long> critical = appendTimes("events", CRITICAL_ROWS);
            List<Long> bulk = appendTimes("rollups", BULK_ROWS);
            assertThat(critical.stream().mapToLong(Long::longValue).max().orElseThrow())
                    .isLessThanOrEqualTo(
                            bulk.stream().mapToLong(Long::longValue).min().orElseThrow());
        } finally {
            second.close();
        }
    }

    /** The two captures of one gateway run, sharing a lane gate as the gateway wires them. */
    private record Gateway(LaneGate gate, Lane critical, Lane bulk) implements AutoCloseable {

        static Gateway start() {
            LaneGate gate = new LaneGate(Duration.ofMinutes(5));
            Lane critical = Lane.start("prio", "public.events", gate.critical());
            Lane bulk = Lane.start("prio_bulk", "public.rollups", gate.bulk());
            return new Gateway(gate, critical, bulk);
        }

        @Override
        public void close() {
            bulk.close();
            critical.close();
        }
    }

    private record Lane(BackhaulMonitor monitor, KafkaChangeSink sink, DebeziumChangeCapture capture)
            implements AutoCloseable {

        static Lane start(String name, String table, LaneGate.Lane lane) {
            CaptureSettings settings =
                    CaptureFixtures.settings(name, SITE, sync.edgeUrl(), table, Duration.ofMillis(200));
            BackhaulMonitor monitor = new BackhaulMonitor(Clock.systemUTC(), Duration.ofSeconds(1));
            KafkaChangeSink sink = KafkaChangeSink.create(sync.kafka().edgeBootstrap(), "zstd", Map.of(), monitor);
            DebeziumChangeCapture capture = new DebeziumChangeCapture(settings, sink, lane);
            CaptureFixtures.startAndAwaitRunning(capture, ARRIVAL);
            return new Lane(monitor, sink, capture);
        }

        @Override
        public void close() {
            capture.close();
            sink.close();
        }
    }

    /** Reads the table's topic until it holds {@code rows} records; returns their broker append times. */
    private static List<Long> appendTimes(String table, int rows) {
        List<Long> times = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(
                Map.of(
                        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                        sync.kafka().cloudBootstrap(),
                        ConsumerConfig.GROUP_ID_CONFIG,
                        "prio-" + table,
                        ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
                        "earliest"),
                new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(SITE + ".public." + table));
            await().atMost(ARRIVAL).until(() -> {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    times.add(record.timestamp());
                }
                return times.size() >= rows;
            });
        }
        return times;
    }
}
