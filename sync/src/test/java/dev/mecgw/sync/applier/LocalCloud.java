package dev.mecgw.sync.applier;

import dev.mecgw.testsupport.kafka.EmbeddedKafkaBroker;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.concurrent.CountDownLatch;

/**
 * A local "cloud" for trying the sync out and for tests of the gateway: in-process Kafka, a central PostgreSQL and
 * the applier, on 127.0.0.1. {@link #main} runs it through {@code sync/local-cloud.sh}, prints the address to give
 * the gateway and stops on Ctrl-C.
 */
public final class LocalCloud implements AutoCloseable {

    private final EmbeddedPostgres database;
    private final EmbeddedKafkaBroker kafka;
    private final KafkaChangeApplier applier;

    private LocalCloud(EmbeddedPostgres database, EmbeddedKafkaBroker kafka, KafkaChangeApplier applier) {
        this.database = database;
        this.kafka = kafka;
        this.applier = applier;
    }

    /**
     * @param kafkaDir where the broker keeps its log
     * @return a started cloud whose applier is consuming all site topics
     */
    public static LocalCloud start(Path kafkaDir) throws Exception {
        EmbeddedPostgres database = EmbeddedPostgres.builder().start();
        EmbeddedKafkaBroker kafka = EmbeddedKafkaBroker.start(kafkaDir);
        KafkaChangeApplier applier = startApplier(kafka.cloudBootstrap(), "mecgw-cloud-applier", jdbcUrl(database));
        return new LocalCloud(database, kafka, applier);
    }

    /**
     * Starts the harness applier on a daemon thread named after its consumer group: every site topic of the broker
     * at {@code bootstrap} into the cloud database at {@code jdbcUrl} (user {@code postgres}, no password).
     *
     * @return the running applier; the caller closes it
     */
    public static KafkaChangeApplier startApplier(String bootstrap, String group, String jdbcUrl) throws SQLException {
        KafkaChangeApplier applier = ApplierMain.create(
                bootstrap, group, KafkaChangeApplier.SITE_TOPICS, new PostgresChangeApplier(jdbcUrl, "postgres", null));
        Thread worker = new Thread(applier, group);
        worker.setDaemon(true);
        worker.start();
        return applier;
    }

    /** @return the bootstrap servers a gateway uses (through the broker's cuttable edge proxy) */
    public String edgeBootstrap() {
        return kafka.edgeBootstrap();
    }

    /** @return the bootstrap servers for cloud-side clients */
    public String cloudBootstrap() {
        return kafka.cloudBootstrap();
    }

    /** @return the central database, user {@code postgres} without password */
    public String cloudJdbcUrl() {
        return jdbcUrl(database);
    }

    private static String jdbcUrl(EmbeddedPostgres database) {
        return "jdbc:postgresql://127.0.0.1:" + database.getPort() + "/postgres";
    }

    @Override
    public void close() throws java.io.IOException {
        applier.close();
        kafka.close();
        database.close();
    }

    public static void main(String[] args) throws Exception {
        LocalCloud cloud = start(Files.createTempDirectory("mecgw-local-cloud"));
        System.out.printf(
                "local cloud ready%n  gateway : MECGW_SYNC_KAFKA_BOOTSTRAP_SERVERS=%s%n"
                        + "  cloud DB: psql -h 127.0.0.1 -p %d -U postgres -c 'SELECT * FROM mecgw_cloud_rows'%n"
                        + "  Ctrl-C stops it%n",
                cloud.edgeBootstrap(), cloud.database.getPort());
        String control = System.getProperty("mecgw.local-cloud.control-dir");
        if (control != null) {
            // A script cuts the backhaul, sends downlink messages and reads row counts through files.
            new LocalCloudControl(
                            Path.of(control),
                            System.getProperty("mecgw.local-cloud.site", "site-1"),
                            cloud.kafka.backhaul(),
                            cloud.cloudJdbcUrl(),
                            cloud.cloudBootstrap())
                    .start();
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                cloud.close();
            } catch (java.io.IOException e) {
                // exiting anyway
            }
            stopped.countDown();
        }));
        stopped.await();
    }
}
