package dev.mecgw.sync.applier;

import java.nio.file.Files;
import java.util.concurrent.CountDownLatch;

import dev.mecgw.sync.cdc.EmbeddedKafkaBroker;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * A local "cloud" for trying the sync out: in-process Kafka, a central PostgreSQL and the applier, on 127.0.0.1.
 * Run through {@code sync/local-cloud.sh}; prints the address to give the gateway and stops on Ctrl-C.
 */
public final class LocalCloud {

    private LocalCloud() {
    }

    public static void main(String[] args) throws Exception {
        EmbeddedPostgres cloud = EmbeddedPostgres.builder().start();
        EmbeddedKafkaBroker kafka = EmbeddedKafkaBroker.start(Files.createTempDirectory("mecgw-local-cloud"));
        String url = "jdbc:postgresql://127.0.0.1:" + cloud.getPort() + "/postgres";
        KafkaChangeApplier applier = ApplierMain.create(kafka.cloudBootstrap(), "mecgw-cloud-applier",
                KafkaChangeApplier.SITE_TOPICS, new PostgresChangeApplier(url, "postgres", null));
        Thread worker = new Thread(applier, "mecgw-applier");
        worker.start();
        System.out.printf("local cloud ready%n  gateway : MECGW_SYNC_KAFKA_BOOTSTRAP_SERVERS=%s%n"
                + "  cloud DB: psql -h 127.0.0.1 -p %d -U postgres -c 'SELECT * FROM mecgw_cloud_rows'%n"
                + "  Ctrl-C stops it%n", kafka.edgeBootstrap(), cloud.getPort());
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            applier.close();
            kafka.close();
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
