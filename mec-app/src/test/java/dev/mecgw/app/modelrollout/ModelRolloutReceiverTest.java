package dev.mecgw.app.modelrollout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mecgw.app.events.EventLog;
import dev.mecgw.inference.model.FileModelRegistry;
import dev.mecgw.inference.onnx.InferenceWorkers;
import dev.mecgw.inference.onnx.OnnxModelLoader;
import dev.mecgw.inference.onnx.SessionSettings;
import dev.mecgw.inference.sensor.RobustZScoreFitter;
import dev.mecgw.inference.vision.CameraFrame;
import dev.mecgw.inference.vision.VisionModels;
import dev.mecgw.inference.vision.VisionOutputs;
import dev.mecgw.inference.vision.VisionPipeline;
import io.agroal.api.AgroalDataSource;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The site's side of a model rollout over the real store (V180) and a real registry: chunks are stored once and
 * survive a restart, so a redelivered chunk is a no-op and only missing ones are named; the assembled model goes
 * live; a version that nobody exercised within its window is rolled back to the previous one; a vision version with
 * too few frames to compare its detections per frame gets one more window, judged on frames of a real pipeline.
 */
@QuarkusTest
class ModelRolloutReceiverTest {

    private static final int CHUNK = 128;

    @Inject
    AgroalDataSource dataSource;

    @Inject
    ObjectMapper json;

    @Inject
    EventLog events;

    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final MutableClock clock = new MutableClock(Instant.parse("2026-12-06T01:00:00Z"));
    private final String rollout = UUID.randomUUID().toString();
    private ModelDownlinkMessages cloud;
    private Path dir;
    private FileModelRegistry registry;

    @BeforeEach
    void givenARegistryServingVersionOne() throws Exception {
        dir = Files.createTempDirectory("model-rollout");
        registry = new FileModelRegistry(dir, new OnnxModelLoader(SessionSettings.defaults(), meters));
        cloud = new ModelDownlinkMessages(json, rollout, CHUNK);
        RobustZScoreFitter.Fitted v1 = ModelDownlinkMessages.fit("1", 21);
        registry.install(v1.metadata(), v1.onnx());
    }

    @AfterEach
    void close() {
        registry.close();
    }

    @Test
    void shouldStoreEachChunkOnceAndResumeAfterARestartWhenChunksComeAgain() throws Exception {
        // given the offer of version 2 and its first two chunks
        RobustZScoreFitter.Fitted v2 = ModelDownlinkMessages.fit("2", 22);
        byte[] model = v2.onnx();
        int chunks = (model.length + CHUNK - 1) / CHUNK;
        assertThat(chunks).isGreaterThanOrEqualTo(3);
        ModelRolloutReceiver receiver = givenAReceiver();
        receiver.handle(cloud.offer(v2, Duration.ofMinutes(1)));
        receiver.handle(cloud.chunk(model, 0, false));
        receiver.handle(cloud.chunk(model, 1, false));
        assertThat(row("chunks_received")).isEqualTo("2");
        assertThat(row("missing")).isEqualTo(chunks == 3 ? "2" : "2-" + (chunks - 1));
        // when the gateway restarts, the chunk in flight at the cut comes again, and a corrupt copy arrives
        ModelRolloutReceiver restarted = givenAReceiver();
        restarted.handle(cloud.offer(v2, Duration.ofMinutes(1)));
        restarted.handle(cloud.chunk(model, 1, false));
        restarted.handle(cloud.chunk(model, 2, true));
        // then nothing was stored twice and the corrupt chunk was not taken
        assertThat(row("chunks_received")).isEqualTo("2");
        assertThat(row("state")).isEqualTo("downloading");
        // when the rest arrives, the model is assembled, verified and serving
        for (int i = 2; i < chunks; i++) {
            restarted.handle(cloud.chunk(model, i, false));
        }
        assertThat(row("state")).isEqualTo("gating");
        assertThat(row("missing")).isEmpty();
        assertThat(registry.current("sensor-anomaly").orElseThrow().version()).isEqualTo("2");
        assertThat(count("mecgw_model_chunks")).isZero();
    }

    /** Where the database refuses a rollout step. */
    enum StepFault {
        /** The event's INSERT fails, after the state row was updated in the same transaction. */
        EVENT_REFUSED,
        /** The COMMIT fails, after both were written: the event must not have been committed on its own. */
        COMMIT_REFUSED
    }

    @ParameterizedTest
    @EnumSource(StepFault.class)
    void shouldStoreAStepAndItsEventTogetherOrNeitherWhenTheDatabaseRefusesOne(StepFault fault) throws Exception {
        // given version 2 offered and all its chunks but the last stored
        RobustZScoreFitter.Fitted v2 = ModelDownlinkMessages.fit("2", 22);
        byte[] model = v2.onnx();
        int chunks = cloud.chunks(model);
        ModelRolloutReceiver receiver = givenAReceiver();
        receiver.handle(cloud.offer(v2, Duration.ofMinutes(1)));
        for (int i = 0; i < chunks - 1; i++) {
            receiver.handle(cloud.chunk(model, i, false));
        }
        // when the last chunk comes while PostgreSQL refuses the step "gating"
        try (Refusal refusal = refuse(fault)) {
            assertThatThrownBy(() -> receiver.handle(cloud.chunk(model, chunks - 1, false)))
                    .as("a store failure, which the consumer retries")
                    .isInstanceOf(SQLException.class);
        }
        // then neither the state nor its event is stored, and every chunk is kept
        assertThat(row("state")).isEqualTo("downloading");
        assertThat(events("model.rollout.gating")).isZero();
        assertThat(count("mecgw_model_chunks")).isEqualTo(chunks);
        // when the consumer delivers the chunk again
        receiver.handle(cloud.chunk(model, chunks - 1, false));
        // then the step is stored once, with its one event
        assertThat(row("state")).isEqualTo("gating");
        assertThat(events("model.rollout.gating")).isEqualTo(1);
        assertThat(registry.current("sensor-anomaly").orElseThrow().version()).isEqualTo("2");
    }

    @Test
    void shouldRollBackToThePreviousVersionWhenTheGateFindsTooFewRuns() throws Exception {
        // given version 2 installed through the receiver, with a 10 s window and no traffic
        RobustZScoreFitter.Fitted v2 = ModelDownlinkMessages.fit("2", 22);
        ModelRolloutReceiver receiver = givenAReceiver();
        receiver.handle(cloud.offer(v2, Duration.ofSeconds(10)));
        for (int i = 0; i * CHUNK < v2.onnx().length; i++) {
            receiver.handle(cloud.chunk(v2.onnx(), i, false));
        }
        receiver.tick();
        assertThat(row("state")).as("window still open").isEqualTo("gating");
        // when the window closes
        clock.now = clock.now.plusSeconds(11);
        receiver.tick();
        // then "installed" was not "healthy": version 1 serves again and the reason says why
        assertThat(row("state")).isEqualTo("rolled-back");
        assertThat(row("reason")).contains("only 0 inference runs", "rolled back to 1");
        assertThat(row("gate")).contains("candidate");
        assertThat(registry.current("sensor-anomaly").orElseThrow().version()).isEqualTo("1");
    }

    @Test
    void shouldWaitAnotherWindowForFramesThenKeepTheVersionWhenAVisionCanaryCatchesUp() throws Exception {
        try (InferenceWorkers workers = new InferenceWorkers(1, 16, meters)) {
            // given a vision canary whose window closed after one frame, fewer than the 3 its gate needs
            VisionPipeline pipeline = givenAFacesPipeline(workers);
            ModelRolloutReceiver receiver = givenAVisionCanaryWaitingAfterOneFrame(pipeline);
            assertThat(row("reason")).contains("health gate waiting: only 1 frames in the window, 3 needed");
            assertThat(registry.current("faces").orElseThrow().version()).isEqualTo("2");

            // when two more frames come within the extra window
            analyze(pipeline, "2", 3);
            clock.now = clock.now.plusSeconds(1);
            receiver.tick();

            // then their detections per frame match the previous version's, and version 2 stays
            assertThat(row("state")).isEqualTo("succeeded");
            assertThat(row("reason")).contains("detections per frame 1.00");
            assertThat(registry.current("faces").orElseThrow().version()).isEqualTo("2");
        }
    }

    @Test
    void shouldRollBackAVisionCanaryWhenItsFramesAreStillTooFewAfterTheExtraWindow() throws Exception {
        try (InferenceWorkers workers = new InferenceWorkers(1, 16, meters)) {
            // given a vision canary whose window closed after one frame, fewer than the 3 its gate needs
            ModelRolloutReceiver receiver = givenAVisionCanaryWaitingAfterOneFrame(givenAFacesPipeline(workers));

            // when the extra window closes too
            clock.now = clock.now.plusSeconds(10);
            receiver.tick();

            // then too few frames fail the gate and version 1 serves again
            assertThat(row("state")).isEqualTo("rolled-back");
            assertThat(row("reason"))
                    .contains("health gate: only 1 frames in the window, 3 needed", "rolled back to 1");
            assertThat(registry.current("faces").orElseThrow().version()).isEqualTo("1");
        }
    }

    /**
     * Faces version 1 finds one face in each of 3 frames; version 2 comes through the receiver (10 s window, 3 frames
     * needed) and sees one frame before its window closes.
     */
    private ModelRolloutReceiver givenAVisionCanaryWaitingAfterOneFrame(VisionPipeline pipeline) throws Exception {
        analyze(pipeline, "1", 3);
        ModelRolloutReceiver receiver = givenAReceiver();
        installFaces(receiver, "2");
        analyze(pipeline, "2", 1);
        clock.now = clock.now.plusSeconds(11);
        receiver.tick();
        assertThat(row("state")).isEqualTo("gating");
        return receiver;
    }

    private VisionPipeline givenAFacesPipeline(InferenceWorkers workers) {
        registry.install(VisionModels.tinyFaces("1"), VisionModels.tinyFacesModel());
        return new VisionPipeline(registry, "faces", workers, VisionOutputs.eventsOnly(batch -> {}), meters);
    }

    /** Sends faces frames until {@code version} counted {@code frames} of them. */
    private void analyze(VisionPipeline pipeline, String version, int frames) {
        while (frames(version) < frames) {
            double before = frames(version);
            pipeline.submit(new CameraFrame("cam-1", VisionModels.faceFrame(), clock.instant()));
            await().atMost(Duration.ofSeconds(20)).until(() -> frames(version) > before);
        }
    }

    private double frames(String version) {
        Counter counter = meters.find(VisionPipeline.OUTPUTS)
                .tag("model", "faces")
                .tag("version", version)
                .tag("outcome", "frames")
                .counter();
        return counter == null ? 0 : counter.count();
    }

    /** The faces version through the receiver: its offer (10 s window, 1 run and 3 frames needed), then its chunks. */
    private void installFaces(ModelRolloutReceiver receiver, String version) throws Exception {
        byte[] model = VisionModels.tinyFacesModel();
        ObjectNode offer =
                cloud.offer("faces", json.valueToTree(VisionModels.tinyFaces(version)), model, Duration.ofSeconds(10));
        // Latency is not what these tests judge: the first runs of each session are the slow ones.
        offer.putObject("gate").put("minRuns", 1).put("minFrames", 3).put("maxLatencyP99Ratio", 1000.0);
        receiver.handle(json.writeValueAsBytes(offer));
        for (int i = 0; i < cloud.chunks(model); i++) {
            receiver.handle(cloud.chunk(model, i, false));
        }
        assertThat(row("state")).isEqualTo("gating");
    }

    private ModelRolloutReceiver givenAReceiver() {
        return new ModelRolloutReceiver(dataSource, registry, meters, json, events, clock);
    }

    private String row(String column) throws Exception {
        return installColumn(dataSource, rollout, column);
    }

    /** @return a column of the rollout's {@code mecgw_model_installs} row as text; null without the row */
    static String installColumn(DataSource dataSource, String rollout, String column) throws SQLException {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement query = connection.prepareStatement(
                        "SELECT " + column + "::text FROM mecgw_model_installs WHERE rollout_id = ?")) {
            query.setString(1, rollout);
            try (ResultSet row = query.executeQuery()) {
                return row.next() ? String.valueOf(row.getString(1)) : null;
            }
        }
    }

    private long count(String table) throws Exception {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement query =
                        connection.prepareStatement("SELECT count(*) FROM " + table + " WHERE rollout_id = ?")) {
            query.setString(1, rollout);
            try (ResultSet row = query.executeQuery()) {
                row.next();
                return row.getLong(1);
            }
        }
    }

    /**
     * Makes PostgreSQL refuse this rollout's step for real, with a trigger that raises: on the event's INSERT, or
     * (deferred) at the COMMIT of the "gating" update. Closing it drops the trigger.
     */
    private Refusal refuse(StepFault fault) throws SQLException {
        String suffix = rollout.replace("-", "");
        String function = "mecgw_test_refuse_" + suffix;
        String trigger = "mecgw_test_refuse_" + suffix;
        String table = fault == StepFault.EVENT_REFUSED ? "events" : "mecgw_model_installs";
        String create = fault == StepFault.EVENT_REFUSED
                ? "CREATE TRIGGER " + trigger + " BEFORE INSERT ON events FOR EACH ROW"
                        + " WHEN (NEW.payload->>'rollout' = '" + rollout + "') EXECUTE FUNCTION " + function + "()"
                : "CREATE CONSTRAINT TRIGGER " + trigger + " AFTER UPDATE ON mecgw_model_installs"
                        + " DEFERRABLE INITIALLY DEFERRED FOR EACH ROW WHEN (NEW.rollout_id = '" + rollout
                        + "' AND NEW.state = 'gating') EXECUTE FUNCTION " + function + "()";
        execute("CREATE FUNCTION " + function + "() RETURNS trigger LANGUAGE plpgsql AS"
                + " $$ BEGIN RAISE EXCEPTION 'refused by the test'; END $$");
        execute(create);
        return () -> {
            execute("DROP TRIGGER " + trigger + " ON " + table);
            execute("DROP FUNCTION " + function + "()");
        };
    }

    /** A refusal in place until closed. */
    private interface Refusal extends AutoCloseable {
        @Override
        void close() throws SQLException;
    }

    private void execute(String sql) throws SQLException {
        try (Connection connection = dataSource.getConnection();
                Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    private long events(String kind) throws SQLException {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement query = connection.prepareStatement(
                        "SELECT count(*) FROM events WHERE kind = ? AND payload->>'rollout' = ?")) {
            query.setString(1, kind);
            query.setString(2, rollout);
            try (ResultSet row = query.executeQuery()) {
                row.next();
                return row.getLong(1);
            }
        }
    }

    private static final class MutableClock extends Clock {
        Instant now;

        MutableClock(Instant now) {
            this.now = now;
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }
    }
}
