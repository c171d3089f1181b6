package dev.mecgw.sync.applier;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mecgw.sync.cdc.ChangeEvent;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class PostgresChangeApplierTest {

    static EmbeddedPostgres cloud;
    static String url;

    @BeforeAll
    static void startCloudDatabase() throws Exception {
        cloud = EmbeddedPostgres.builder().start();
        url = "jdbc:postgresql://127.0.0.1:" + cloud.getPort() + "/postgres";
    }

    @AfterAll
    static void stopCloudDatabase() throws Exception {
        cloud.close();
    }

    @Test
    void shouldSkipChangeWhenItsLsnIsAtOrBelowLastApplied() throws Exception {
        try (PostgresChangeApplier applier = givenAnApplier()) {
            // given
            applier.apply(List.of(change("k1", 200, 2)));
            // when: a replay of the same change and an older one arrive
            ApplyResult result = applier.apply(List.of(change("k1", 200, 2), change("k1", 100, 1)));
            // then
            assertThat(result).isEqualTo(new ApplyResult(0, 2));
            assertThat(version("k1")).isEqualTo("2");
        }
    }

    @Test
    void shouldKeepTombstoneWhenRowWasDeletedAndOlderChangeArrivesLate() throws Exception {
        try (PostgresChangeApplier applier = givenAnApplier()) {
            // given
            applier.apply(List.of(
                    change("k2", 100, 1),
                    new ChangeEvent("s", "public.t", ChangeEvent.Op.DELETE, 300, Instant.now(), "k2", null)));
            // when
            ApplyResult result = applier.apply(List.of(change("k2", 200, 2)));
            // then
            assertThat(result.skipped()).isEqualTo(1);
            assertThat(version("k2")).isNull();
        }
    }

    @Test
    void shouldApplyEachNewerChangeWhenOneBatchHoldsSameKeyTwice() throws Exception {
        try (PostgresChangeApplier applier = givenAnApplier()) {
            // when
            ApplyResult result = applier.apply(List.of(change("k3", 100, 1), change("k3", 150, 2)));
            // then
            assertThat(result).isEqualTo(new ApplyResult(2, 0));
            assertThat(version("k3")).isEqualTo("2");
        }
    }

    @Test
    void shouldApplyChangeWhenItsGenerationIsNewerAlthoughItsLsnIsLower() throws Exception {
        try (PostgresChangeApplier applier = givenAnApplier()) {
            // given: a row last changed at a high LSN by the old edge database
            applier.apply(List.of(change("k4", 1L, 9_000, 1)));
            // when: the restored database (next generation, LSNs start lower) changes it, and a late old change
            ApplyResult result = applier.apply(List.of(change("k4", 2L, 100, 2), change("k4", 1L, 9_500, 3)));
            // then: the new generation wins, the late old change is skipped
            assertThat(result).isEqualTo(new ApplyResult(1, 1));
            assertThat(version("k4")).isEqualTo("2");
        }
    }

    @Test
    void shouldApplyTheRestOfTheBatchAndCountTheChangeWhenTheDatabaseRefusesOneForGood() throws Exception {
        try (PostgresChangeApplier applier = givenAnApplier()) {
            // given a change whose row jsonb refuses (U+0000: SQLSTATE 22P05) between two good ones; replayed, it
            // would fail its batch again every time and so block its partitions
            ChangeEvent refused = new ChangeEvent(
                    "s", "public.t", ChangeEvent.Op.UPDATE, 0L, 100, Instant.now(), "k6", Map.of("note", "a\u0000b"));
            // when
            ApplyResult result = applier.apply(List.of(change("k5", 100, 1), refused, change("k7", 100, 1)));
            // then the good ones are applied, the refused one left out and counted
            assertThat(result).isEqualTo(new ApplyResult(2, 0, 1));
            assertThat(version("k5")).isEqualTo("1");
            assertThat(version("k7")).isEqualTo("1");
            assertThat(rows("k6")).isZero();
            // and the applier goes on with the next batch
            assertThat(applier.apply(List.of(change("k5", 200, 2)))).isEqualTo(new ApplyResult(1, 0));
        }
    }

    private static PostgresChangeApplier givenAnApplier() throws Exception {
        PostgresChangeApplier applier = new PostgresChangeApplier(url, "postgres", null);
        applier.createSchema();
        return applier;
    }

    private static ChangeEvent change(String key, long lsn, int version) {
        return change(key, 0L, lsn, version);
    }

    private static ChangeEvent change(String key, long generation, long lsn, int version) {
        return new ChangeEvent(
                "s",
                "public.t",
                ChangeEvent.Op.UPDATE,
                generation,
                lsn,
                Instant.now(),
                key,
                Map.of("version", version));
    }

    private static long rows(String key) throws Exception {
        try (Connection connection = DriverManager.getConnection(url, "postgres", null);
                Statement statement = connection.createStatement();
                ResultSet row =
                        statement.executeQuery("SELECT count(*) FROM mecgw_cloud_rows WHERE pk = '" + key + "'")) {
            row.next();
            return row.getLong(1);
        }
    }

    private static String version(String key) throws Exception {
        try (Connection connection = DriverManager.getConnection(url, "postgres", null);
                Statement statement = connection.createStatement();
                ResultSet row = statement.executeQuery(
                        "SELECT data->>'version' FROM mecgw_cloud_rows WHERE pk = '" + key + "'")) {
            row.next();
            return row.getString(1);
        }
    }
}
