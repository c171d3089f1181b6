package dev.mecgw.cloud.modelrollout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.smallrye.config.WithDefault;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Rollouts stored before the vision gate fields existed (their {@code spec.gate} has no
 * {@code maxDetectionsPerFrameDelta} and {@code minFrames}) read as the documented defaults after V4, not as 0.
 * Real PostgreSQL: the schema is migrated to V3, rows are written the old way, then the rest of the migrations run.
 */
class PostgresModelRolloutStoreTest {

    private static EmbeddedPostgres postgres;

    private final PostgresModelRolloutStore store = new PostgresModelRolloutStore();

    @BeforeAll
    static void givenRolloutsStoredBeforeTheVisionGate() throws Exception {
        postgres = EmbeddedPostgres.start();
        migrate("3");
        // Written as the code before commit a80d6b9 did: a gate of four fields.
        insert("old-1", specJson(new GateLimits(0.05, 2.0, 0.3, 7, 0, 0), true));
        // Written by a80d6b9's code, which knew the fields, before V4 existed: its values stay.
        insert("new-1", specJson(new GateLimits(0.01, 1.5, 0.2, 20, 0.5, 42), false));
        migrate(null);
    }

    @AfterAll
    static void stop() throws Exception {
        postgres.close();
    }

    @Test
    void shouldReadTheDocumentedDefaultsWhenAnOldRolloutLacksTheVisionGateFields() throws Exception {
        // When the old rollout is loaded after the migrations
        GateLimits gate = load("old-1").spec().gate();

        // Then the vision fields are the documented defaults, and the fields it had are kept
        assertThat(gate.maxDetectionsPerFrameDelta())
                .isEqualTo(Double.parseDouble(documentedDefault("maxDetectionsPerFrameDelta")));
        assertThat(gate.minFrames()).isEqualTo(Integer.parseInt(documentedDefault("minFrames")));
        assertThat(gate).isEqualTo(new GateLimits(0.05, 2.0, 0.3, 7, 0.2, 100));
    }

    @Test
    void shouldKeepTheVisionGateFieldsWhenTheRolloutAlreadyHasThem() throws Exception {
        // When a rollout written with the vision fields is loaded after the migrations
        GateLimits gate = load("new-1").spec().gate();

        // Then its own values stay
        assertThat(gate).isEqualTo(new GateLimits(0.01, 1.5, 0.2, 20, 0.5, 42));
    }

    @Test
    void shouldRefuseToReadARolloutWhenItsSpecLacksAField() throws Exception {
        // Given a row whose gate lacks a field that no migration fills
        ObjectNode spec = (ObjectNode)
                PostgresModelRolloutStore.JSON.readTree(specJson(new GateLimits(0.01, 1.5, 0.2, 20, 0.2, 100), false));
        ((ObjectNode) spec.get("gate")).remove("minRuns");
        insert("broken-1", spec.toString());

        // When it is loaded, then the read fails naming the row instead of taking 0 for the field
        assertThatThrownBy(() -> load("broken-1"))
                .isInstanceOf(SQLException.class)
                .hasMessageContaining("broken-1");
    }

    private ModelRollout load(String id) throws Exception {
        try (Connection connection = postgres.getPostgresDatabase().getConnection()) {
            connection.setAutoCommit(false);
            try {
                return store.lock(connection, id).orElseThrow();
            } finally {
                connection.rollback();
            }
        }
    }

    /** The {@code @WithDefault} of a {@link ModelRolloutsConfig.Gate} method: the documented default. */
    private static String documentedDefault(String method) throws NoSuchMethodException {
        return ModelRolloutsConfig.Gate.class
                .getMethod(method)
                .getAnnotation(WithDefault.class)
                .value();
    }

    private static String specJson(GateLimits gate, boolean withoutVisionFields) throws Exception {
        ModelRolloutSpec spec = new ModelRolloutSpec(
                "detector",
                "2",
                "00",
                1,
                JsonNodeFactory.instance.objectNode().put("name", "detector"),
                List.of(new ModelRolloutSpec.PlannedWave("all", List.of("plant-1"))),
                Duration.ofMinutes(5),
                Duration.ofMinutes(30),
                0,
                gate,
                262144);
        ObjectNode json = PostgresModelRolloutStore.JSON.valueToTree(spec);
        if (withoutVisionFields) {
            ((ObjectNode) json.get("gate")).remove(List.of("maxDetectionsPerFrameDelta", "minFrames"));
        }
        return json.toString();
    }

    private static void insert(String id, String spec) throws Exception {
        try (Connection connection = postgres.getPostgresDatabase().getConnection();
                PreparedStatement insert = connection.prepareStatement("INSERT INTO cloud_model_rollouts (id, name,"
                        + " version, sha256, size, model, spec, state) VALUES (?, 'detector', '2', '00', 1,"
                        + " '\\x00', CAST(? AS jsonb), 'running')")) {
            insert.setString(1, id);
            insert.setString(2, spec);
            insert.executeUpdate();
        }
    }

    /** Migrates to {@code target}, or to the latest version when null. */
    private static void migrate(String target) {
        DataSource database = postgres.getPostgresDatabase();
        var flyway = Flyway.configure().dataSource(database).locations("classpath:db/migration");
        if (target != null) {
            flyway.target(target);
        }
        flyway.load().migrate();
    }
}
