package dev.mecgw.app.sync.app;

import dev.mecgw.sync.applier.LocalCloud;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.stream.Stream;

/**
 * A local cloud for the gateway under test (in-process KRaft Kafka, central PostgreSQL, applier), and a data
 * directory of its own, so that its embedded PostgreSQL starts empty and shares no slot or offset with other tests.
 */
public class LocalCloudResource implements QuarkusTestResourceLifecycleManager {

    static final String SITE = "site-flow";
    static final Path DATA_DIR = Path.of("target", "test-data-sync-flow");

    static LocalCloud cloud;

    @Override
    public Map<String, String> start() {
        try {
            deleteRecursively(DATA_DIR);
            cloud = LocalCloud.start(Files.createTempDirectory("mecgw-sync-flow-kafka"));
        } catch (Exception e) {
            throw new IllegalStateException("local cloud did not start", e);
        }
        return Map.of(
                "mecgw.sync.kafka.bootstrap-servers",
                cloud.edgeBootstrap(),
                "mecgw.data-dir",
                DATA_DIR.toString(),
                "mecgw.site-id",
                SITE);
    }

    @Override
    public void stop() {
        try {
            cloud.close();
        } catch (IOException e) {
            // the JVM ends with the test run; nothing of value is lost
        }
    }

    private static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }
}
