package dev.mecgw.sync.cdc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.mecgw.sync.backhaul.BackhaulMonitor;
import dev.mecgw.sync.backhaul.LinkProbe;
import dev.mecgw.sync.kafka.KafkaChangeSink;
import dev.mecgw.testsupport.sync.SyncFixture;
import java.io.IOException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Enumeration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Issue 22: the native executable finds by name only what {@code META-INF/native-image/dev.mecgw/sync} registers.
 * This test runs the real capture (Debezium Embedded on PostgreSQL) into the real producer (zstd) and reads the
 * topic back, with a thread context class loader that records every class and resource asked for by name (Debezium's
 * {@code Instantiator}, Kafka's {@code ConfigDef} and {@code ServiceLoader} all resolve through it, and the engine's
 * and clients' threads inherit it). Every such class must be in the sync jar's {@code reflect-config.json} and every
 * service file in its {@code resource-config.json}: a library upgrade that looks up a new class fails here, on the
 * JVM, instead of in a 50-minute native build or on an appliance.
 */
class NativeMetadataIT {

    /** The packages whose by-name lookups the sync library's native metadata covers. */
    private static final List<String> COVERED = List.of("io.debezium.", "org.apache.kafka.", "com.github.luben.");

    @RegisterExtension
    static final SyncFixture sync = SyncFixture.edgeAndKafka();

    @Test
    void shouldRegisterEveryClassLookedUpByNameWhenCapturingIntoKafka() throws Exception {
        // given: a table, and a recording context class loader for everything the sync library starts
        sync.execute("CREATE TABLE native_rows (id bigint PRIMARY KEY, device text NOT NULL)");
        RecordingClassLoader recorder =
                new RecordingClassLoader(Thread.currentThread().getContextClassLoader());
        ClassLoader before = Thread.currentThread().getContextClassLoader();
        Thread.currentThread().setContextClassLoader(recorder);
        try {
            // when: the link is probed, the capture streams rows into the zstd producer, and a consumer reads them
            captureIntoKafka();
        } finally {
            Thread.currentThread().setContextClassLoader(before);
        }
        // then
        Set<String> looked = new TreeSet<>();
        recorder.classes.stream()
                .filter(name -> COVERED.stream().anyMatch(name::startsWith))
                .forEach(looked::add);
        Set<String> services = new TreeSet<>();
        recorder.resources.stream()
                .filter(name -> name.startsWith("META-INF/services/"))
                .filter(name -> COVERED.stream().anyMatch(p -> name.startsWith("META-INF/services/" + p)))
                .forEach(services::add);
        Files.write(Path.of("target", "native-lookups.txt"), looked);
        Files.write(Path.of("target", "native-services.txt"), services);
        SyncNativeMetadata metadata = SyncNativeMetadata.load();
        assertThat(looked)
                .as("classes looked up by name")
                .isNotEmpty()
                .allSatisfy(name -> assertThat(metadata.reflected())
                        .as("reflect-config.json registers %s", name)
                        .contains(name));
        assertThat(services)
                .as("service files read")
                .isNotEmpty()
                .allSatisfy(name -> assertThat(metadata.includesResource(name))
                        .as("resource-config.json includes %s", name)
                        .isTrue());
    }

    private void captureIntoKafka() throws Exception {
        try (LinkProbe probe = KafkaChangeSink.linkProbe(sync.kafka().edgeBootstrap(), Map.of())) {
            assertThat(probe.reachable(Duration.ofSeconds(30))).isTrue();
        }
        BackhaulMonitor monitor = new BackhaulMonitor(Clock.systemUTC(), Duration.ofSeconds(1));
        KafkaChangeSink sink = KafkaChangeSink.create(sync.kafka().edgeBootstrap(), "zstd", Map.of(), monitor);
        CaptureSettings settings = CaptureFixtures.settings(
                "native", "site-native", sync.edgeUrl(), "public.native_rows", Duration.ofMillis(200));
        DebeziumChangeCapture capture = new DebeziumChangeCapture(settings, sink);
        try {
            CaptureFixtures.startAndAwaitRunning(capture, Duration.ofSeconds(90));
            sync.execute("INSERT INTO native_rows SELECT g, 'dev-' || g FROM generate_series(1, 50) g");
            sync.execute("UPDATE native_rows SET device = 'moved' WHERE id % 5 = 0");
            sync.execute("DELETE FROM native_rows WHERE id % 7 = 0");
            await().atMost(Duration.ofSeconds(90)).until(() -> monitor.acknowledgedTotal() >= 50 + 10 + 7);
            assertThat(readBack()).isGreaterThanOrEqualTo(50);
        } finally {
            capture.close();
            sink.close();
        }
    }

    private static int readBack() {
        Map<String, Object> props = Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, sync.kafka().edgeBootstrap(),
                ConsumerConfig.GROUP_ID_CONFIG, "native-metadata",
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG,
                        "org.apache.kafka.common.serialization.ByteArrayDeserializer",
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG,
                        "org.apache.kafka.common.serialization.ByteArrayDeserializer");
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props)) {
            consumer.subscribe(java.util.regex.Pattern.compile("site-native\\..*"));
            int[] read = {0};
            await().atMost(Duration.ofSeconds(60)).until(() -> {
                ConsumerRecords<byte[], byte[]> records = consumer.poll(Duration.ofMillis(200));
                read[0] += records.count();
                return read[0] >= 50;
            });
            return read[0];
        }
    }

    /** Delegates everything to its parent, remembering the names asked for. */
    static final class RecordingClassLoader extends ClassLoader {
        final Set<String> classes = ConcurrentHashMap.newKeySet();
        final Set<String> resources = ConcurrentHashMap.newKeySet();

        RecordingClassLoader(ClassLoader parent) {
            super(parent);
        }

        @Override
        protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
            classes.add(name);
            return super.loadClass(name, resolve);
        }

        @Override
        public URL getResource(String name) {
            resources.add(name);
            return super.getResource(name);
        }

        @Override
        public Enumeration<URL> getResources(String name) throws IOException {
            resources.add(name);
            return super.getResources(name);
        }
    }
}
