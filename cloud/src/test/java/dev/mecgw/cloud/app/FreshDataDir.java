package dev.mecgw.cloud.app;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Starts the test application on an empty data directory, so that every run begins with a fresh embedded
 * PostgreSQL and Kafka instead of the previous run's topics and consumer group.
 */
public class FreshDataDir implements QuarkusTestResourceLifecycleManager {

    private static final Path DIR = Path.of("target", "test-data");

    @Override
    public Map<String, String> start() {
        if (Files.exists(DIR)) {
            try (Stream<Path> files = Files.walk(DIR)) {
                files.sorted(Comparator.reverseOrder()).forEach(FreshDataDir::delete);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return Map.of("mecgw.cloud.data-dir", DIR.toString());
    }

    private static void delete(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void stop() {}
}
