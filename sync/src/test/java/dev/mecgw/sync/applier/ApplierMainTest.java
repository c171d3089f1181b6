package dev.mecgw.sync.applier;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The cloud applier's consumer settings: an operator's pass-through property cannot turn auto-commit on or read
 * uncommitted transactions, which would break the exactly-once effect (offsets committed only after the database
 * transaction).
 */
class ApplierMainTest {

    static EmbeddedPostgres cloud;

    @BeforeAll
    static void startCloudDatabase() throws Exception {
        cloud = EmbeddedPostgres.builder().start();
    }

    @AfterAll
    static void stopCloudDatabase() throws Exception {
        cloud.close();
    }

    @ParameterizedTest
    @CsvSource({"enable.auto.commit, true", "isolation.level, read_uncommitted", "group.id, another-group"})
    void shouldRefuseNamingTheKeyWhenAPassThroughPropertyWouldBreakTheContract(String key, String value) {
        try (PostgresChangeApplier database = new PostgresChangeApplier(
                "jdbc:postgresql://127.0.0.1:" + cloud.getPort() + "/postgres", "postgres", null)) {
            assertThatThrownBy(() -> ApplierMain.create(
                                    "127.0.0.1:9",
                                    "mecgw-cloud-applier",
                                    KafkaChangeApplier.SITE_TOPICS,
                                    database,
                                    Map.of(key, value, "max.poll.records", "10"))
                            .close())
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining(key);
        }
    }
}
