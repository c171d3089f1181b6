package dev.mecgw.cloud.apply;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mecgw.cloud.store.CloudSchema;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The typed mirror's ordering rule, tombstones and upgrade rule against a real PostgreSQL with the cloud schema. */
class MirrorWriterTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static EmbeddedPostgres postgres;

    private final MirrorWriter writer = new MirrorWriter(new MirrorCatalog());

    @BeforeAll
    static void startPostgres() throws Exception {
        postgres = CloudSchema.start();
    }

    @AfterAll
    static void stopPostgres() throws Exception {
        postgres.close();
    }

    @BeforeEach
    void emptyTables() throws SQLException {
        execute("TRUNCATE devices, events, unmapped_rows, sites");
    }

    @Test
    void shouldKeepTheNewerVersionWhenAnOlderChangeArrivesLater() throws Exception {
        ApplyResult result = apply(device(1, 200, "v2"), device(1, 150, "old"), device(1, 200, "replay"));

        assertThat(result.applied()).isEqualTo(1);
        assertThat(result.skipped()).isEqualTo(2);
        assertThat(single("SELECT type FROM devices WHERE site_id = 's1' AND id = 'd1'"))
                .isEqualTo("v2");
    }

    @Test
    void shouldTakeANewerGenerationWhenItsLsnIsLower() throws Exception {
        apply(device(1, 5000, "gen1"));

        apply(device(2, 10, "gen2"));

        assertThat(single("SELECT type || ':' || src_generation || ':' || src_lsn FROM devices"))
                .isEqualTo("gen2:2:10");
    }

    @Test
    void shouldClearAndMarkARowDeletedAndKeepItAgainstAnOlderChange() throws Exception {
        apply(device(1, 100, "v1"), delete(1, 110));

        apply(device(1, 105, "late"));

        assertThat(single("SELECT deleted || ':' || coalesce(type, '-') || ':' || src_lsn FROM devices"))
                .isEqualTo("true:-:110");
    }

    @Test
    void shouldApplyAKeyChangedTwiceInOneBatchInOrder() throws Exception {
        ApplyResult result = apply(device(1, 100, "a"), device(1, 101, "b"), delete(1, 102), device(1, 103, "c"));

        assertThat(result.applied()).isEqualTo(4);
        assertThat(single("SELECT deleted || ':' || type FROM devices")).isEqualTo("false:c");
    }

    @Test
    void shouldKeepUnknownColumnsInExtraWhenTheEdgeSchemaIsNewer() throws Exception {
        Change change = device(1, 100, "sensor");
        change.row().put("firmware", "2.1.0").put("site_id", "spoofed");

        apply(change);

        assertThat(single("SELECT site_id || ':' || (extra->>'firmware') || ':' || (extra->>'site_id') FROM devices"))
                .isEqualTo("s1:2.1.0:spoofed");
    }

    @Test
    void shouldKeepAChangeOfAnUnknownTableWholeInUnmappedRows() throws Exception {
        ObjectNode row = JSON.createObjectNode().put("id", "r1").put("state", "running");
        Change change = new Change(
                "s1",
                "public.ota_rollouts",
                false,
                1,
                50,
                Instant.EPOCH,
                JSON.createObjectNode().put("id", "r1"),
                row);

        ApplyResult result = apply(change);

        assertThat(result.unmapped()).isEqualTo(1);
        assertThat(single("SELECT table_name || ':' || (data->>'state') FROM unmapped_rows"))
                .isEqualTo("public.ota_rollouts:running");
    }

    @Test
    void shouldKeepARowWhoseValueDoesNotFitItsColumnAndApplyTheRestOfTheBatch() throws Exception {
        // given an edge release that turned slice_sst into text
        Change bad = device(1, 100, "sensor");
        bad.row().put("id", "d2").put("slice_sst", "not-a-number");

        ApplyResult result = apply(device(1, 100, "ok"), bad);

        assertThat(result.unmapped()).isEqualTo(1);
        assertThat(single("SELECT type FROM devices WHERE id = 'd1'")).isEqualTo("ok");
        assertThat(single("SELECT data->>'slice_sst' FROM unmapped_rows")).isEqualTo("not-a-number");
    }

    @Test
    void shouldIgnoreAReplayedHeartbeat() throws Exception {
        Heartbeat newer = new Heartbeat("s1", Instant.parse("2026-12-05T15:00:10Z"), "1", "UP", 5L, 0.1, 1, 2, "{}");
        Heartbeat older = new Heartbeat("s1", Instant.parse("2026-12-05T15:00:00Z"), "1", "DOWN", 9L, 0.1, 1, 2, "{}");

        try (Connection connection = connection()) {
            writer.apply(connection, List.of(), List.of(newer, older));
            connection.commit();
        }

        assertThat(single("SELECT health || ':' || backlog_rows FROM sites")).isEqualTo("UP:5");
    }

    private ApplyResult apply(Change... changes) throws SQLException {
        try (Connection connection = connection()) {
            ApplyResult result = writer.apply(connection, List.of(changes), List.of());
            connection.commit();
            return result;
        }
    }

    private static Change device(long generation, long lsn, String type) {
        ObjectNode row = JSON.createObjectNode()
                .put("id", "d1")
                .put("type", type)
                .put("labels", "{\"floor\":2}")
                .put("online", true)
                .put("last_seen", "2026-12-05T15:00:00Z");
        return new Change("s1", "public.devices", false, generation, lsn, Instant.EPOCH, key(), row);
    }

    private static Change delete(long generation, long lsn) {
        return new Change("s1", "public.devices", true, generation, lsn, Instant.EPOCH, key(), key());
    }

    private static ObjectNode key() {
        return JSON.createObjectNode().put("id", "d1");
    }

    private static Connection connection() throws SQLException {
        Connection connection = postgres.getPostgresDatabase().getConnection();
        connection.setAutoCommit(false);
        return connection;
    }

    private static void execute(String sql) throws SQLException {
        try (Connection connection = postgres.getPostgresDatabase().getConnection();
                Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    private static String single(String sql) throws SQLException {
        try (Connection connection = postgres.getPostgresDatabase().getConnection();
                Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery(sql)) {
            return rows.next() ? rows.getString(1) : null;
        }
    }
}
