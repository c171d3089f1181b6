package dev.mecgw.app.twin;

import dev.mecgw.testsupport.kafka.EmbeddedKafkaBroker;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * The cloud's Kafka (in-process KRaft) for a gateway under test that consumes its downlink and sends heartbeats, and
 * a fresh data directory, so that its embedded PostgreSQL starts empty.
 */
public class DownlinkKafkaResource implements QuarkusTestResourceLifecycleManager {

    static final String SITE = "site-downlink";
    static EmbeddedKafkaBroker kafka;
    private Path dataDir;

    @Override
    public Map<String, String> start() {
        try {
            dataDir = Files.createTempDirectory(Files.createDirectories(Path.of("target")), "test-data-downlink");
            kafka = EmbeddedKafkaBroker.start(Files.createTempDirectory("mecgw-downlink-kafka"));
        } catch (Exception e) {
            throw new IllegalStateException("Kafka did not start", e);
        }
        return Map.of(
                "mecgw.sync.kafka.bootstrap-servers",
                kafka.edgeBootstrap(),
                "mecgw.sync.heartbeat-interval",
                "1s",
                "mecgw.data-dir",
                dataDir.toString(),
                "mecgw.site-id",
                SITE);
    }

    /** @return the running broker, for tests of other packages */
    public static EmbeddedKafkaBroker kafka() {
        return kafka;
    }

    @Override
    public void stop() {
        kafka.close();
    }
}
