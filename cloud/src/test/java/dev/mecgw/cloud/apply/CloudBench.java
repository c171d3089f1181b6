package dev.mecgw.cloud.apply;

import dev.mecgw.cloud.kafka.EmbeddedKafka;
import dev.mecgw.cloud.kafka.KafkaClients;
import dev.mecgw.cloud.store.CloudSchema;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * bench/cloud: rows/s applied into the typed tables by one and by two applier instances of one consumer group.
 * Everything on 127.0.0.1 in one JVM: a durable embedded PostgreSQL (fsync and synchronous_commit on) with the cloud
 * schema, the embedded KRaft Kafka; the topics are filled first, then the appliers drain them (a backlog drain, the
 * cloud's worst case after sites reconnect). Not a test: run through {@code bench/cloud/run.sh}.
 */
public final class CloudBench {

    private CloudBench() {}

    public static void main(String[] args) throws Exception {
        int rows = Integer.getInteger("bench.rows", 200_000);
        int sites = Integer.getInteger("bench.sites", 10);
        Path dir = Files.createTempDirectory("cloud-bench");
        try (EmbeddedPostgres postgres = EmbeddedPostgres.builder()
                        .setServerConfig("fsync", "on")
                        .setServerConfig("synchronous_commit", "on")
                        .setServerConfig("full_page_writes", "on")
                        .start();
                EmbeddedKafka kafka = EmbeddedKafka.start(dir.resolve("kafka"), "127.0.0.1", 0)) {
            DataSource db = postgres.getPostgresDatabase();
            CloudSchema.migrate(db);
            KafkaClients clients = new KafkaClients(kafka.bootstrap(), Map.of());
            long produced = produce(clients, rows, sites);
            System.out.printf("produced %d event rows for %d sites in %d ms%n", rows, sites, produced);
            List<String> lines = new ArrayList<>();
            for (int instances : new int[] {1, 2}) {
                truncate(db);
                double perSecond = drain(clients, db, rows, instances);
                lines.add(
                        String.format("| %d | %d | %.0f | %.0f |", instances, rows, perSecond, perSecond / instances));
            }
            System.out.println("| instances | rows | rows/s applied | rows/s per instance |");
            System.out.println("|---|---|---|---|");
            lines.forEach(System.out::println);
        }
    }

    private static long produce(KafkaClients clients, int rows, int sites) {
        long start = System.nanoTime();
        try (Producer<String, byte[]> producer = clients.producer()) {
            for (int i = 0; i < rows; i++) {
                String site = "bench-" + (i % sites);
                String row = "{\"id\":" + i + ",\"ts\":\"2026-12-05T15:00:00Z\",\"device_id\":\"d" + (i % 500)
                        + "\",\"kind\":\"threshold\",\"severity\":\"warning\",\"payload\":\"{\\\"value\\\":" + i
                        + ",\\\"limit\\\":80}\"}";
                String value = "{\"before\":null,\"after\":" + row + ",\"op\":\"c\",\"ts_ms\":1796482800000,"
                        + "\"source\":{\"connector\":\"mecgw\",\"site\":\"" + site + "\",\"schema\":\"public\","
                        + "\"table\":\"events\",\"lsn\":" + (1000L + i) + ",\"generation\":1,\"ts_ms\":1796482800000}}";
                producer.send(new ProducerRecord<>(
                        site + ".public.events", "{\"id\":" + i + "}", value.getBytes(StandardCharsets.UTF_8)));
            }
            producer.flush();
        }
        return (System.nanoTime() - start) / 1_000_000;
    }

    private static double drain(KafkaClients clients, DataSource db, int rows, int instances) throws Exception {
        String group = "bench-" + instances;
        List<KafkaApplier> appliers = new ArrayList<>();
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < instances; i++) {
            KafkaApplier applier = new KafkaApplier(clients.consumer(group), db, Duration.ofSeconds(1));
            appliers.add(applier);
            threads.add(new Thread(applier, "bench-applier-" + i));
        }
        long start = System.nanoTime();
        threads.forEach(Thread::start);
        long firstApplied = 0;
        while (appliers.stream().mapToLong(KafkaApplier::appliedTotal).sum() < rows) {
            if (firstApplied == 0
                    && appliers.stream().mapToLong(KafkaApplier::appliedTotal).sum() > 0) {
                firstApplied = System.nanoTime();
            }
            Thread.sleep(20);
        }
        long end = System.nanoTime();
        appliers.forEach(KafkaApplier::close);
        for (Thread thread : threads) {
            thread.join();
        }
        // Measured from the first applied batch: group join and partition assignment are a start-up cost.
        long from = firstApplied == 0 ? start : firstApplied;
        System.out.printf(
                "%d instance(s): %d rows in %d ms (%d ms to the first batch)%n",
                instances, rows, (end - from) / 1_000_000, (from - start) / 1_000_000);
        return rows / ((end - from) / 1e9);
    }

    private static void truncate(DataSource db) throws Exception {
        try (Connection connection = db.getConnection();
                Statement statement = connection.createStatement()) {
            statement.execute("TRUNCATE events, sites");
        }
    }
}
