package dev.mecgw.app.modelrollout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mecgw.app.events.EventLog;
import dev.mecgw.inference.model.FileModelRegistry;
import dev.mecgw.inference.model.ModelLease;
import dev.mecgw.inference.onnx.FloatTensor;
import dev.mecgw.inference.onnx.OnnxModelLoader;
import dev.mecgw.inference.onnx.SessionSettings;
import dev.mecgw.inference.sensor.RobustZScoreFitter;
import dev.mecgw.testsupport.kafka.EmbeddedKafkaBroker;
import dev.mecgw.testsupport.kafka.TcpProxy;
import io.agroal.api.AgroalDataSource;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The model downlink across a real backhaul cut (issue 18 item 5): the real {@link KafkaModelDownlink},
 * {@link ModelRolloutReceiver} and store (the gateway's PostgreSQL) receive a model from an in-process Kafka broker
 * whose edge listener is advertised at a TCP proxy (sync's {@link EmbeddedKafkaBroker}, as {@code EdgeToCloudSyncIT}
 * cuts the backhaul); the cloud publishes on the uncut internal listener, in the contract's format. The link is cut
 * (connections reset, new ones refused) or black-holed (nothing carried, nothing closed). The consumer's session and API timeouts are scaled down (6 s and 3 s, by
 * default 45 s and 60 s, through the pass-through properties an operator sets too) so that a cut outlasting both
 * fits in a short test.
 */
@QuarkusTest
class KafkaModelDownlinkTest {

    private static final int CHUNK = 16;
    /** Chunks stored before the cut. */
    private static final int BEFORE_CUT = 6;
    /** Chunks published before the cut beyond those stored: the first is being stored when the link goes down. */
    private static final int IN_FLIGHT = 4;

    private static EmbeddedKafkaBroker kafka;
    private static Producer<String, byte[]> cloudProducer;
    private static Admin cloudAdmin;

    @Inject
    AgroalDataSource dataSource;

    @Inject
    ObjectMapper json;

    @Inject
    EventLog events;

    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final String site = "cut-" + UUID.randomUUID().toString().substring(0, 8);
    private final String rollout = UUID.randomUUID().toString();
    private final List<KafkaModelDownlink> downlinks = new ArrayList<>();
    private ModelDownlinkMessages cloud;
    private FileModelRegistry registry;
    /** Where the cloud's messages of this rollout go (keyed by the rollout id: one partition). */
    private TopicPartition partition;

    @BeforeAll
    static void givenTheCloudsKafka() throws Exception {
        kafka = EmbeddedKafkaBroker.start(Files.createTempDirectory("mecgw-model-cut-kafka"));
        cloudProducer = new KafkaProducer<>(
                Map.of(
                        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                        kafka.cloudBootstrap(),
                        ProducerConfig.ACKS_CONFIG,
                        "all"),
                new StringSerializer(),
                new ByteArraySerializer());
        cloudAdmin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.cloudBootstrap()));
    }

    @AfterAll
    static void closeTheCloud() {
        cloudAdmin.close();
        cloudProducer.close();
        kafka.close();
    }

    @BeforeEach
    void givenARegistryServingVersionOne() throws Exception {
        Path dir = Files.createTempDirectory("model-cut");
        registry = new FileModelRegistry(dir, new OnnxModelLoader(SessionSettings.defaults(), meters));
        RobustZScoreFitter.Fitted v1 = ModelDownlinkMessages.fit("1", 21);
        registry.install(v1.metadata(), v1.onnx());
        cloud = new ModelDownlinkMessages(json, rollout, CHUNK);
    }

    @AfterEach
    void stopTheGateway() {
        kafka.backhaul().restore();
        downlinks.forEach(KafkaModelDownlink::close);
        registry.close();
    }

    /** How the backhaul fails. */
    enum LinkFault {
        /** Every connection reset, new ones refused. */
        CUT,
        /** Connections, open and new, carry nothing: clients notice only through their timeouts. */
        BLACK_HOLE;

        void apply(TcpProxy link) {
            if (this == CUT) {
                link.cut();
            } else {
                link.blackHole();
            }
        }
    }

    @ParameterizedTest
    @EnumSource(LinkFault.class)
    void shouldInstallOnceWithoutFetchingStoredChunksAgainWhenTheBackhaulFailsMidTransfer(LinkFault fault)
            throws Exception {
        // given version 2 offered and its first chunks stored through the backhaul
        RobustZScoreFitter.Fitted v2 = ModelDownlinkMessages.fit("2", 22);
        byte[] model = v2.onnx();
        int chunks = cloud.chunks(model);
        assertThat(chunks).isGreaterThan(BEFORE_CUT + IN_FLIGHT + 2);
        publishOfferAndChunks(v2, BEFORE_CUT);
        ModelRolloutReceiver receiver = givenAGateway();
        await().atMost(Duration.ofSeconds(60)).until(() -> stored().size() == BEFORE_CUT);
        // when the backhaul fails while a fetched chunk is being stored (its row held by a local transaction)
        try (RowHold hold = holdTheInstallRow()) {
            publish(model, BEFORE_CUT, BEFORE_CUT + IN_FLIGHT);
            await().atMost(Duration.ofSeconds(30)).until(this::aChunkWaitsForItsRow);
            fault.apply(kafka.backhaul());
        }
        // and the cloud publishes the rest meanwhile, and the cut lasts until the broker dropped the gateway's session
        publish(model, BEFORE_CUT + IN_FLIGHT, chunks);
        await().atMost(Duration.ofSeconds(60)).until(() -> groupMembers() == 0);
        // then the gateway kept serving version 1, stored the chunk it was storing, and names exactly the rest missing
        assertThat(scoreWithTheServingVersion()).isEqualTo("1");
        receiver.tick();
        await().atMost(Duration.ofSeconds(30)).until(() -> stored().contains(BEFORE_CUT));
        Progress cut = progress();
        assertThat(cut.stored()).doesNotContain(BEFORE_CUT + IN_FLIGHT).hasSize(cut.received());
        assertThat(cut.missing()).isEqualTo(ChunkAssembly.missing(cut.stored(), chunks));
        assertThat(row("state")).isEqualTo("downloading");
        // when the backhaul comes back
        kafka.backhaul().restore();
        // then the model is installed once, every chunk was stored once and none was fetched again
        await().atMost(Duration.ofSeconds(60)).until(() -> "gating".equals(row("state")));
        assertThat(scoreWithTheServingVersion()).isEqualTo("2");
        assertThat(registry.versions(ModelDownlinkMessages.MODEL)).containsExactlyInAnyOrder("1", "2");
        // (the gating event is committed with the state row: no wait between them)
        assertThat(installedEvents()).isEqualTo(1);
        assertThat(chunkCount("stored")).isEqualTo(chunks);
        assertThat(chunkCount("duplicate")).isZero();
        assertThat(chunkCount("rejected")).isZero();
        // and the offsets are committed to the end: a restart now would fetch nothing again
        await().atMost(Duration.ofSeconds(30)).until(() -> committed() == endOffset());
    }

    @Test
    void shouldResumeWhereItStoppedWhenTheGatewayRestartsDuringACut() throws Exception {
        // given version 2 offered and its first chunks stored through the backhaul
        RobustZScoreFitter.Fitted v2 = ModelDownlinkMessages.fit("2", 23);
        byte[] model = v2.onnx();
        int chunks = cloud.chunks(model);
        publishOfferAndChunks(v2, BEFORE_CUT);
        givenAGateway();
        await().atMost(Duration.ofSeconds(60)).until(() -> stored().size() == BEFORE_CUT);
        // when the backhaul is cut, the gateway stops (its consumer cannot leave the group), the cloud publishes the
        // rest, and the gateway starts again on the same database and consumer group before the link is back
        kafka.backhaul().cut();
        downlinks.get(0).close();
        publish(model, BEFORE_CUT, chunks);
        givenAGateway();
        assertThat(scoreWithTheServingVersion()).isEqualTo("1");
        kafka.backhaul().restore();
        // then it continues where it stopped: installed once, each chunk stored once, at most one fetched again
        await().atMost(Duration.ofSeconds(60)).until(() -> "gating".equals(row("state")));
        assertThat(scoreWithTheServingVersion()).isEqualTo("2");
        // (the gating event is committed with the state row: no wait between them)
        assertThat(installedEvents()).isEqualTo(1);
        assertThat(chunkCount("stored")).isEqualTo(chunks);
        assertThat(chunkCount("duplicate")).isLessThanOrEqualTo(1);
        assertThat(chunkCount("rejected")).isZero();
    }

    @Test
    void shouldSkipAndCountAnOfferTheStoreRefusesForGoodAndInstallTheRolloutBehindIt() throws Exception {
        // given an offer of another rollout that PostgreSQL's jsonb refuses for good (U+0000: SQLSTATE 22P05)
        RobustZScoreFitter.Fitted v2 = ModelDownlinkMessages.fit("2", 24);
        String refused = UUID.randomUUID().toString();
        ObjectNode poisoned = new ModelDownlinkMessages(json, refused, CHUNK)
                .offer(ModelDownlinkMessages.MODEL, json.valueToTree(v2.metadata()), v2.onnx(), Duration.ofHours(1));
        poisoned.put("note", "a\u0000b");
        send(json.writeValueAsBytes(poisoned));
        // when the cloud then offers version 2 and sends all its chunks
        publishOfferAndChunks(v2, cloud.chunks(v2.onnx()));
        givenAGateway();
        // then the rollout behind the refused offer is installed, and the refused one counted once and left out
        await().atMost(Duration.ofSeconds(60)).until(() -> "gating".equals(row("state")));
        assertThat(downlinks.get(0).refusedTotal()).isEqualTo(1);
        assertThat(ModelRolloutReceiverTest.installColumn(dataSource, refused, "state"))
                .isNull();
        await().atMost(Duration.ofSeconds(30)).until(() -> committed() == endOffset());
    }

    @ParameterizedTest
    @CsvSource({"enable.auto.commit, true", "group.id, another-group"})
    void shouldRefuseNamingTheKeyWhenAPassThroughPropertyWouldBreakTheContract(String key, String value) {
        assertThatThrownBy(() -> KafkaModelDownlink.create(kafka.edgeBootstrap(), site, Map.of(key, value), null)
                        .close())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(key);
    }

    /** A gateway's model downlink (a new receiver each time, as after a restart) on this site's group. */
    private ModelRolloutReceiver givenAGateway() {
        ModelRolloutReceiver receiver =
                new ModelRolloutReceiver(dataSource, registry, meters, json, events, Clock.systemUTC());
        KafkaModelDownlink downlink = KafkaModelDownlink.create(
                kafka.edgeBootstrap(),
                site,
                Map.of(
                        ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, "6000",
                        ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, "1000",
                        ConsumerConfig.REQUEST_TIMEOUT_MS_CONFIG, "2500",
                        ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "3000"),
                receiver);
        downlinks.add(downlink);
        Thread thread = new Thread(downlink, "model-downlink-" + downlinks.size());
        thread.setDaemon(true);
        thread.start();
        return receiver;
    }

    private void publishOfferAndChunks(RobustZScoreFitter.Fitted fitted, int to) throws Exception {
        send(cloud.offer(fitted, Duration.ofHours(1)));
        publish(fitted.onnx(), 0, to);
    }

    private void publish(byte[] model, int from, int to) throws Exception {
        for (int i = from; i < to; i++) {
            send(cloud.chunk(model, i, false));
        }
        cloudProducer.flush();
    }

    private void send(byte[] message) throws Exception {
        RecordMetadata sent = cloudProducer
                .send(new ProducerRecord<>(site + ".models", rollout, message))
                .get(30, TimeUnit.SECONDS);
        partition = new TopicPartition(sent.topic(), sent.partition());
    }

    /** The gateway's model serves a normal window; @return the version that answered */
    private String scoreWithTheServingVersion() {
        try (ModelLease lease = registry.lease(ModelDownlinkMessages.MODEL)) {
            List<FloatTensor> out =
                    lease.run(List.of(new FloatTensor("window", new long[] {1, 4}, new float[] {21, 22, 21, 22})));
            assertThat(out).isNotEmpty();
            return lease.metadata().version();
        }
    }

    private boolean aChunkWaitsForItsRow() throws Exception {
        return count("SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock'"
                        + " AND query LIKE 'SELECT chunks_total FROM mecgw_model_installs%'")
                == 1;
    }

    private RowHold holdTheInstallRow() throws Exception {
        Connection connection = dataSource.getConnection();
        connection.setAutoCommit(false);
        try (PreparedStatement lock =
                connection.prepareStatement("SELECT 1 FROM mecgw_model_installs WHERE rollout_id = ? FOR UPDATE")) {
            lock.setString(1, rollout);
            lock.executeQuery().close();
        }
        return new RowHold(connection);
    }

    /** A local transaction holding the rollout's status row; closing it lets the receiver go on. */
    private record RowHold(Connection connection) implements AutoCloseable {
        @Override
        public void close() throws Exception {
            connection.rollback();
            connection.close();
        }
    }

    /** The status row and the stored chunks, read in one snapshot. */
    private record Progress(int received, String missing, Set<Integer> stored) {}

    private Progress progress() throws Exception {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement query = connection.prepareStatement("SELECT i.chunks_received, i.missing,"
                        + " array(SELECT c.idx FROM mecgw_model_chunks c WHERE c.rollout_id = i.rollout_id)"
                        + " FROM mecgw_model_installs i WHERE i.rollout_id = ?")) {
            query.setString(1, rollout);
            try (ResultSet row = query.executeQuery()) {
                if (!row.next()) {
                    return new Progress(0, null, Set.of());
                }
                Set<Integer> stored =
                        new TreeSet<>(List.of((Integer[]) row.getArray(3).getArray()));
                return new Progress(row.getInt(1), row.getString(2), stored);
            }
        }
    }

    private Set<Integer> stored() throws Exception {
        return progress().stored();
    }

    private String row(String column) throws Exception {
        return ModelRolloutReceiverTest.installColumn(dataSource, rollout, column);
    }

    private long installedEvents() throws Exception {
        return count("SELECT count(*) FROM events WHERE kind = 'model.rollout.gating' AND payload->>'rollout' = '"
                + rollout + "'");
    }

    private long count(String sql) throws Exception {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement query = connection.prepareStatement(sql);
                ResultSet row = query.executeQuery()) {
            row.next();
            return row.getLong(1);
        }
    }

    private long chunkCount(String outcome) {
        return (long) meters.get("mecgw.model.rollout.chunks")
                .tag("outcome", outcome)
                .counter()
                .count();
    }

    private int groupMembers() throws Exception {
        return cloudAdmin
                .describeConsumerGroups(List.of(group()))
                .all()
                .get(10, TimeUnit.SECONDS)
                .get(group())
                .members()
                .size();
    }

    private long committed() throws Exception {
        OffsetAndMetadata offset = cloudAdmin
                .listConsumerGroupOffsets(group())
                .partitionsToOffsetAndMetadata()
                .get(10, TimeUnit.SECONDS)
                .get(partition);
        return offset == null ? -1 : offset.offset();
    }

    private long endOffset() throws Exception {
        return cloudAdmin
                .listOffsets(Map.of(partition, OffsetSpec.latest()))
                .partitionResult(partition)
                .get(10, TimeUnit.SECONDS)
                .offset();
    }

    private String group() {
        return "mecgw-models-" + site;
    }
}
