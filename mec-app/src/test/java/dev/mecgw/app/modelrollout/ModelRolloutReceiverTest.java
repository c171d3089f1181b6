package dev.mecgw.app.modelrollout;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mecgw.app.events.EventLog;
import dev.mecgw.inference.model.FileModelRegistry;
import dev.mecgw.inference.onnx.OnnxModelLoader;
import dev.mecgw.inference.onnx.SessionSettings;
import dev.mecgw.inference.sensor.RobustZScoreFitter;
import io.agroal.api.AgroalDataSource;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
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

/**
 * The site's side of a model rollout over the real store (V180) and a real registry: chunks are stored once and
 * survive a restart, so a redelivered chunk is a no-op and only missing ones are named; the assembled model goes
 * live; a version that nobody exercised within its window is rolled back to the previous one.
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
