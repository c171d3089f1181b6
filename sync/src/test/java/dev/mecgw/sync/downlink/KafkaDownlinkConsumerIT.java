package dev.mecgw.sync.downlink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.mecgw.testsupport.kafka.ConsumerGroupProbe;
import dev.mecgw.testsupport.kafka.LinkFault;
import dev.mecgw.testsupport.sync.HeldRow;
import dev.mecgw.testsupport.sync.SyncFixture;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Downlink from the cloud: each message applied once, desired state by cloud version (issue 4, item 7); commands stored
 * at the site with their payload text as received, failed for an unknown device, expired when their TTL passed (issue
 * 17); and across a backhaul cut that outlasts the consumer's commit timeout and its group session (each message
 * applied once, the consumer still running).
 */
class KafkaDownlinkConsumerIT {

    /** Messages the cloud publishes while the backhaul is down. */
    private static final int DURING_CUT = 5;
    /** The rows of the first test: not those of the cut and refusal tests. */
    private static final String NOT_CUT = " WHERE id NOT LIKE 'cut-%' AND id NOT LIKE 'refused-%'";

    @RegisterExtension
    static final SyncFixture sync = SyncFixture.edgeAndKafka();

    @BeforeAll
    static void givenTheSiteTables() throws Exception {
        sync.execute("CREATE TABLE devices (id text PRIMARY KEY)");
        sync.execute(
                "CREATE TABLE device_twins (device_id text PRIMARY KEY REFERENCES devices (id), desired jsonb NOT NULL"
                        + " DEFAULT '{}', desired_version bigint NOT NULL DEFAULT 0, reported jsonb NOT NULL DEFAULT '{}',"
                        + " updated_at timestamptz NOT NULL DEFAULT now(), cloud_version bigint NOT NULL DEFAULT 0,"
                        + " desired_at timestamptz, desired_origin text NOT NULL DEFAULT 'edge')");
        sync.execute("CREATE TABLE events (id bigserial PRIMARY KEY, device_id text, kind text NOT NULL,"
                + " payload jsonb NOT NULL DEFAULT '{}')");
        sync.execute("INSERT INTO devices VALUES ('pump-1')");
        new PostgresDownlinkApplier(sync.edge().getPostgresDatabase()).createSchema();
    }

    @Test
    void shouldApplyEachMessageOnceAndKeepNewestDesiredWhenMessagesAreRedeliveredOutOfOrder() throws Exception {
        // given
        List<DownlinkMessage> stored = new CopyOnWriteArrayList<>();
        PostgresDownlinkApplier applier = new PostgresDownlinkApplier(
                sync.edge().getPostgresDatabase(), (message, outcome) -> stored.add(message));
        KafkaDownlinkConsumer consumer =
                KafkaDownlinkConsumer.create(sync.kafka().edgeBootstrap(), "site-d", Map.of(), applier::apply);
        Thread thread = new Thread(consumer, "downlink");
        thread.start();
        // when: desired v2, then a late v1, a redelivered v2, a command twice, a malformed message, and an unknown
        // device
        try (KafkaProducer<String, String> producer = cloudProducer()) {
            send(
                    producer,
                    "{\"id\":\"m2\",\"kind\":\"desired\",\"deviceId\":\"pump-1\",\"version\":2,\"payload\":{\"rpm\":200}}");
            send(
                    producer,
                    "{\"id\":\"m1\",\"kind\":\"desired\",\"deviceId\":\"pump-1\",\"version\":1,\"payload\":{\"rpm\":100}}");
            send(
                    producer,
                    "{\"id\":\"m2\",\"kind\":\"desired\",\"deviceId\":\"pump-1\",\"version\":2,\"payload\":{\"rpm\":200}}");
            send(
                    producer,
                    "{\"id\":\"c1\",\"kind\":\"command\",\"deviceId\":\"pump-1\",\"name\":\"stop\","
                            + "\"payload\":{\"b\":1,\"a\":2}}");
            send(
                    producer,
                    "{\"id\":\"c1\",\"kind\":\"command\",\"deviceId\":\"pump-1\",\"name\":\"stop\","
                            + "\"payload\":{\"b\":1,\"a\":2}}");
            send(
                    producer,
                    "{\"id\":\"c2\",\"kind\":\"command\",\"deviceId\":\"ghost\",\"name\":\"stop\",\"payload\":{}}");
            send(
                    producer,
                    "{\"id\":\"c3\",\"kind\":\"command\",\"deviceId\":\"pump-1\",\"name\":\"stop\",\"payload\":1,"
                            + "\"expiresAt\":\"2020-01-01T00:00:00Z\"}");
            send(producer, "not json");
            send(producer, "{\"id\":\"m9\",\"kind\":\"desired\",\"deviceId\":\"ghost\",\"version\":9,\"payload\":{}}");
        }
        // then
        try {
            await().atMost(Duration.ofSeconds(60))
                    .until(() -> query("SELECT count(*) FROM mecgw_downlink_applied" + NOT_CUT)
                            .equals("6"));
            // the device-facing desired_version counts applied changes; cloud_version is the cloud's
            assertThat(query("SELECT desired->>'rpm' || '@' || cloud_version || '/' || desired_version || ' '"
                            + " || desired_origin FROM device_twins"))
                    .isEqualTo("200@2/1 cloud");
            assertThat(query("SELECT count(*) FROM events WHERE kind = 'command' AND payload->>'id' NOT LIKE 'cut-%'"
                            + " AND payload->>'id' NOT LIKE 'refused-%'"))
                    .isEqualTo("2");
            assertThat(query("SELECT string_agg(id || '=' || outcome, ',' ORDER BY id) FROM mecgw_downlink_applied"
                            + NOT_CUT))
                    .isEqualTo("c1=at-site,c2=failed,c3=expired,m1=stale,m2=applied,m9=stale");
            assertThat(query("SELECT string_agg(id || ':' || reason, ',' ORDER BY id) FROM mecgw_downlink_applied"
                            + NOT_CUT + " AND reason IS NOT NULL"))
                    .isEqualTo("c2:unknown device ghost,c3:expired before it reached the site,"
                            + "m1:cloud version 2 already applied,m9:unknown device");
            assertThat(query("SELECT string_agg(id, ',') FROM mecgw_command_outbox" + NOT_CUT))
                    .isEqualTo("c1");
            // the device gets the text as received; the jsonb beside it is PostgreSQL's rewriting
            assertThat(query("SELECT payload_text || ' ' || payload::text FROM mecgw_command_outbox WHERE id = 'c1'"))
                    .isEqualTo("{\"b\":1,\"a\":2} {\"a\": 2, \"b\": 1}");
            assertThat(stored).extracting(DownlinkMessage::id).containsExactly("m2", "m1", "c1", "c2", "c3", "m9");
        } finally {
            consumer.close();
            thread.join(10_000);
        }
    }

    @AfterEach
    void restoreTheBackhaul() {
        sync.kafka().backhaul().restore();
    }

    @ParameterizedTest
    @EnumSource(LinkFault.class)
    void shouldApplyEveryMessageOnceAndKeepConsumingWhenTheBackhaulFailsWhileItCommits(LinkFault fault)
            throws Exception {
        // given a running downlink whose first command is stored through the backhaul; the ids of every message the
        // applier took are kept, also those its id check absorbs: a message fetched again shows here
        String site = "cut-" + fault.name().toLowerCase().replace('_', '-');
        List<String> stored = new CopyOnWriteArrayList<>();
        List<String> applied = new CopyOnWriteArrayList<>();
        PostgresDownlinkApplier applier = new PostgresDownlinkApplier(
                sync.edge().getPostgresDatabase(), (message, outcome) -> stored.add(message.id()));
        KafkaDownlinkConsumer consumer = KafkaDownlinkConsumer.create(
                sync.kafka().edgeBootstrap(), site, LinkFault.shortConsumerTimeouts(), message -> {
                    applier.apply(message);
                    applied.add(message.id());
                });
        Thread thread = started(consumer, site);
        try (KafkaProducer<String, String> cloud = cloudProducer();
                ConsumerGroupProbe group =
                        new ConsumerGroupProbe(sync.kafka().cloudBootstrap(), "mecgw-downlink-" + site)) {
            TopicPartition partition = sendCommand(cloud, site, site + "-first");
            await().atMost(Duration.ofSeconds(60)).until(() -> stored.contains(site + "-first"));
            // when the backhaul fails while a fetched command is being stored (its id held by a local transaction),
            // so that the consumer commits its offset over a dead link
            try (HeldRow hold = HeldRow.hold(
                    sync.edge(),
                    "INSERT INTO mecgw_downlink_applied (id, kind, device_id, version, outcome)"
                            + " VALUES (?, 'command', 'pump-1', 0, 'held')",
                    site + "-held")) {
                sendCommand(cloud, site, site + "-held");
                await().atMost(Duration.ofSeconds(30)).until(() -> hold.blocks("INSERT INTO mecgw_downlink_applied"));
                fault.apply(sync.kafka().backhaul());
            }
            // and the cloud publishes more meanwhile, and the cut lasts until the broker dropped the site's consumer
            // (past its commit timeout, 3 s, and its session, 6 s)
            List<String> all = new ArrayList<>(List.of(site + "-first", site + "-held"));
            for (int i = 0; i < DURING_CUT; i++) {
                all.add(site + "-during-" + i);
                sendCommand(cloud, site, all.get(all.size() - 1));
            }
            await().atMost(Duration.ofSeconds(60)).until(() -> group.members() == 0);
            // then the command being stored when the link failed was stored all the same
            await().atMost(Duration.ofSeconds(30)).until(() -> stored.contains(site + "-held"));
            // when the backhaul comes back
            sync.kafka().backhaul().restore();
            // then every command is applied and stored exactly once (none fetched again: the consumer sought past
            // those it stored while the broker had dropped it), it still runs and has committed to the end
            await().atMost(Duration.ofSeconds(60)).until(() -> stored.size() >= all.size());
            await().atMost(Duration.ofSeconds(30)).until(() -> group.committedToEnd(partition));
            assertThat(applied).containsExactlyElementsOf(all);
            assertThat(stored).containsExactlyElementsOf(all);
            assertThat(query("SELECT count(*) FROM mecgw_command_outbox WHERE id LIKE '" + site + "-%'"))
                    .isEqualTo(String.valueOf(all.size()));
            assertThat(query("SELECT count(*) FROM events WHERE payload->>'id' LIKE '" + site + "-%'"))
                    .isEqualTo(String.valueOf(all.size()));
            assertThat(query("SELECT count(*) FROM mecgw_downlink_applied WHERE id LIKE '" + site
                            + "-%' AND outcome = 'at-site'"))
                    .isEqualTo(String.valueOf(all.size()));
            await().atMost(Duration.ofSeconds(30)).until(() -> group.committedToEnd(partition));
            assertThat(thread.isAlive()).isTrue();
        } finally {
            consumer.close();
            thread.join(30_000);
        }
        assertThat(thread.isAlive()).isFalse();
    }

    @Test
    void shouldSkipAndCountAMessageTheStoreRefusesForGoodAndApplyTheOnesBehindIt() throws Exception {
        // given a running downlink
        String site = "refused";
        List<String> stored = new CopyOnWriteArrayList<>();
        PostgresDownlinkApplier applier = new PostgresDownlinkApplier(
                sync.edge().getPostgresDatabase(), (message, outcome) -> stored.add(message.id()));
        KafkaDownlinkConsumer consumer =
                KafkaDownlinkConsumer.create(sync.kafka().edgeBootstrap(), site, Map.of(), applier::apply);
        Thread thread = started(consumer, site);
        try (KafkaProducer<String, String> cloud = cloudProducer();
                ConsumerGroupProbe group =
                        new ConsumerGroupProbe(sync.kafka().cloudBootstrap(), "mecgw-downlink-" + site)) {
            // when the cloud sends a command whose payload PostgreSQL's jsonb refuses for good (U+0000: SQLSTATE
            // 22P05), then a good one
            cloud.send(new ProducerRecord<>(
                            site + ".downlink",
                            "pump-1",
                            "{\"id\":\"refused-nul\",\"kind\":\"command\",\"deviceId\":\"pump-1\","
                                    + "\"name\":\"say\",\"payload\":{\"text\":\"a\\u0000b\"}}"))
                    .get(30, TimeUnit.SECONDS);
            TopicPartition partition = sendCommand(cloud, site, "refused-after");
            // then the one behind it is stored, the refused one is counted once, left without effect and recorded
            // failed with its SQLSTATE (the cloud's status), and the offsets are committed past both
            await().atMost(Duration.ofSeconds(60)).until(() -> stored.contains("refused-after"));
            await().atMost(Duration.ofSeconds(30)).until(() -> group.committedToEnd(partition));
            assertThat(stored).containsExactly("refused-after");
            assertThat(consumer.refusedTotal()).isEqualTo(1);
            assertThat(query("SELECT outcome || ': ' || reason FROM mecgw_downlink_applied WHERE id = 'refused-nul'"))
                    .isEqualTo("failed: refused by the site's store (SQLSTATE 22P05)");
            assertThat(query("SELECT count(*) FROM mecgw_command_outbox WHERE id = 'refused-nul'"))
                    .isEqualTo("0");
            assertThat(thread.isAlive()).isTrue();
        } finally {
            consumer.close();
            thread.join(30_000);
        }
        assertThat(thread.isAlive()).isFalse();
    }

    private static Thread started(KafkaDownlinkConsumer consumer, String site) {
        Thread thread = new Thread(consumer, "downlink-" + site);
        thread.setDaemon(true);
        thread.start();
        return thread;
    }

    private static KafkaProducer<String, String> cloudProducer() {
        return new KafkaProducer<>(
                Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, sync.kafka().cloudBootstrap()),
                new StringSerializer(),
                new StringSerializer());
    }

    private static TopicPartition sendCommand(KafkaProducer<String, String> cloud, String site, String id)
            throws Exception {
        RecordMetadata sent = cloud.send(new ProducerRecord<>(
                        site + ".downlink",
                        "pump-1",
                        "{\"id\":\"" + id + "\",\"kind\":\"command\",\"deviceId\":\"pump-1\",\"name\":\"stop\","
                                + "\"payload\":{}}"))
                .get(30, TimeUnit.SECONDS);
        return new TopicPartition(sent.topic(), sent.partition());
    }

    private static void send(KafkaProducer<String, String> producer, String value) throws Exception {
        producer.send(new ProducerRecord<>("site-d.downlink", "pump-1", value)).get();
    }

    private static String query(String sql) throws Exception {
        try (Connection connection = SyncFixture.connect(sync.edge());
                Statement statement = connection.createStatement();
                ResultSet row = statement.executeQuery(sql)) {
            row.next();
            return row.getString(1);
        }
    }
}
