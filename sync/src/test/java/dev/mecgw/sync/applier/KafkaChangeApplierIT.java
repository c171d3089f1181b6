package dev.mecgw.sync.applier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.mecgw.sync.cdc.ChangeEvent;
import dev.mecgw.sync.kafka.ChangeEventCodec;
import dev.mecgw.testsupport.kafka.ConsumerGroupProbe;
import dev.mecgw.testsupport.kafka.LinkFault;
import dev.mecgw.testsupport.sync.HeldRow;
import dev.mecgw.testsupport.sync.SyncFixture;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The cloud applier when the link to its Kafka fails while it commits, for longer than its commit timeout and its
 * group session: every change applied once (by the LSN rule, a replay is skipped), the applier still running. The
 * applier reaches the broker through the fixture's cuttable proxy; the sites publish on the uncut listener.
 */
class KafkaChangeApplierIT {

    /** Its one PostgreSQL plays the central database: a second server would only make the test slower. */
    @RegisterExtension
    static final SyncFixture sync = SyncFixture.edgeAndKafka();

    private static final String TABLE = "public.readings";
    /** Changes the sites publish while the applier is cut off. */
    private static final int DURING_CUT = 5;

    @BeforeAll
    static void givenTheCentralTable() throws Exception {
        new PostgresChangeApplier(SyncFixture.jdbcUrl(central()), "postgres", null).createSchema();
    }

    @AfterEach
    void restoreTheLink() {
        sync.kafka().backhaul().restore();
    }

    @ParameterizedTest
    @EnumSource(LinkFault.class)
    void shouldApplyEveryChangeOnceAndKeepConsumingWhenTheLinkFailsWhileItCommits(LinkFault fault) throws Exception {
        // given a running applier that applied a site's first change
        String site = "applier-" + fault.name().toLowerCase().replace('_', '-');
        String group = "mecgw-cloud-applier-" + site;
        KafkaChangeApplier applier = ApplierMain.create(
                sync.kafka().edgeBootstrap(),
                group,
                Pattern.compile(Pattern.quote(site) + "\\.[^.]+\\.[^.]+"),
                new PostgresChangeApplier(SyncFixture.jdbcUrl(central()), "postgres", null),
                LinkFault.shortConsumerTimeouts());
        Thread thread = new Thread(applier, group);
        thread.setDaemon(true);
        thread.start();
        try (KafkaProducer<byte[], byte[]> sites = siteProducer();
                ConsumerGroupProbe probe = new ConsumerGroupProbe(sync.kafka().cloudBootstrap(), group)) {
            // keyed by primary key, as sites publish: the changes spread over the topic's partitions
            Set<TopicPartition> partitions = new HashSet<>();
            partitions.add(send(sites, site, 1));
            await().atMost(Duration.ofSeconds(60)).until(() -> rows(site) == 1);
            // when the link fails while a batch is being applied (its row held by a central transaction), so that the
            // applier commits its offsets over a dead link
            try (HeldRow hold = HeldRow.hold(
                    central(),
                    "INSERT INTO " + PostgresChangeApplier.TABLE + " (site_id, table_name, pk, generation, lsn, op,"
                            + " deleted, commit_time, applied_at) VALUES (?, ?, ?, 0, 0, 'c', false, now(), now())",
                    site,
                    TABLE,
                    key(2))) {
                partitions.add(send(sites, site, 2));
                await().atMost(Duration.ofSeconds(30))
                        .until(() -> hold.blocks("INSERT INTO " + PostgresChangeApplier.TABLE));
                fault.apply(sync.kafka().backhaul());
            }
            // and the site publishes more meanwhile, and the cut lasts until the broker dropped the applier
            for (int lsn = 3; lsn < 3 + DURING_CUT; lsn++) {
                partitions.add(send(sites, site, lsn));
            }
            await().atMost(Duration.ofSeconds(60)).until(() -> probe.members() == 0);
            await().atMost(Duration.ofSeconds(30)).until(() -> rows(site) == 2);
            // when the link comes back
            sync.kafka().backhaul().restore();
            // then every change is applied exactly once, the applier still runs and has committed to the end
            int all = 2 + DURING_CUT;
            await().atMost(Duration.ofSeconds(60)).until(() -> rows(site) == all);
            for (TopicPartition partition : partitions) {
                await().atMost(Duration.ofSeconds(30)).until(() -> probe.committedToEnd(partition));
            }
            assertThat(applier.appliedTotal()).isEqualTo(all);
            assertThat(thread.isAlive()).isTrue();
        } finally {
            applier.close();
            thread.join(30_000);
        }
        assertThat(thread.isAlive()).isFalse();
    }

    private static KafkaProducer<byte[], byte[]> siteProducer() {
        return new KafkaProducer<>(
                Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, sync.kafka().cloudBootstrap()),
                new ByteArraySerializer(),
                new ByteArraySerializer());
    }

    /** Sends the insert of row {@code id} at LSN {@code id}. */
    private static TopicPartition send(KafkaProducer<byte[], byte[]> sites, String site, long id) throws Exception {
        ChangeEvent change = new ChangeEvent(
                site, TABLE, ChangeEvent.Op.CREATE, 1, id, Instant.now(), key(id), Map.of("id", id, "value", id));
        RecordMetadata sent = sites.send(new ProducerRecord<>(
                        ChangeEventCodec.topic(site, TABLE),
                        ChangeEventCodec.key(change),
                        ChangeEventCodec.encode(change)))
                .get(30, TimeUnit.SECONDS);
        return new TopicPartition(sent.topic(), sent.partition());
    }

    private static String key(long id) {
        return "{\"id\":" + id + "}";
    }

    private static long rows(String site) throws Exception {
        return SyncFixture.queryLong(
                central(),
                "SELECT count(*) FROM " + PostgresChangeApplier.TABLE + " WHERE site_id = '" + site + "'"
                        + " AND data->>'value' = data->>'id'");
    }

    private static EmbeddedPostgres central() {
        return sync.edge();
    }
}
