package dev.mecgw.sync.downlink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.mecgw.sync.kafka.StoreRefusal;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A downlink message the local store refuses for good (a payload {@code jsonb} refuses) is recorded {@code failed}
 * with a reason naming the SQLSTATE, so that the cloud sees an answer instead of a command sent and never answered;
 * the refusal still reaches the consumer loop, which logs, counts and skips it.
 */
class PostgresDownlinkApplierTest {

    /** A JSON string holding U+0000 as a backslash-u escape: valid JSON, refused by jsonb (SQLSTATE 22P05). */
    private static final String REFUSED_PAYLOAD = "{\"s\":\"secret\\u0000\"}";

    static EmbeddedPostgres edge;

    private final List<String> stored = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void givenTheSiteTables() throws Exception {
        edge = EmbeddedPostgres.builder().start();
        execute("CREATE TABLE devices (id text PRIMARY KEY)");
        execute("CREATE TABLE device_twins (device_id text PRIMARY KEY REFERENCES devices (id), desired jsonb NOT NULL"
                + " DEFAULT '{}', desired_version bigint NOT NULL DEFAULT 0, reported jsonb NOT NULL DEFAULT '{}',"
                + " updated_at timestamptz NOT NULL DEFAULT now(), cloud_version bigint NOT NULL DEFAULT 0,"
                + " desired_at timestamptz, desired_origin text NOT NULL DEFAULT 'edge')");
        execute("CREATE TABLE events (id bigserial PRIMARY KEY, device_id text, kind text NOT NULL,"
                + " payload jsonb NOT NULL DEFAULT '{}')");
        execute("INSERT INTO devices VALUES ('pump-1')");
        new PostgresDownlinkApplier(edge.getPostgresDatabase()).createSchema();
    }

    @AfterAll
    static void stopTheStore() throws Exception {
        edge.close();
    }

    @Test
    void shouldRecordFailedNamingTheSqlStateAndStillThrowWhenTheStoreRefusesACommandForGood() throws Exception {
        // given
        PostgresDownlinkApplier applier = givenAnApplier(edge.getPostgresDatabase());
        // when
        SQLException refusal = thrownBy(() -> applier.apply(command("c-refused", REFUSED_PAYLOAD)));
        // then the loop still gets the refusal (it logs, counts and skips it), and the cloud gets a status
        assertThat(StoreRefusal.isPermanent(refusal)).isTrue();
        assertThat(statusOf("c-refused")).isEqualTo("failed: refused by the site's store (SQLSTATE 22P05)");
        assertThat(count("mecgw_command_outbox WHERE id = 'c-refused'")).isZero();
        assertThat(count("events WHERE payload->>'id' = 'c-refused'")).isZero();
        assertThat(stored).isEmpty();
        // when a good command follows, and the refused one is redelivered
        PostgresDownlinkApplier.Outcome good = applier.apply(command("c-after", "{\"s\":\"fine\"}"));
        PostgresDownlinkApplier.Outcome again = applier.apply(command("c-refused", REFUSED_PAYLOAD));
        // then the good one is applied as usual, and the refused one already has its answer
        assertThat(good).isEqualTo(PostgresDownlinkApplier.Outcome.APPLIED);
        assertThat(statusOf("c-after")).isEqualTo("at-site");
        assertThat(count("mecgw_command_outbox WHERE id = 'c-after'")).isOne();
        assertThat(again).isEqualTo(PostgresDownlinkApplier.Outcome.IGNORED);
        assertThat(stored).containsExactly("c-after");
    }

    @Test
    void shouldRecordFailedWhenTheStoreRefusesADesiredStateForGood() throws Exception {
        // given
        PostgresDownlinkApplier applier = givenAnApplier(edge.getPostgresDatabase());
        String twinBefore =
                query("SELECT coalesce(max(desired::text || '@' || cloud_version), 'none') FROM device_twins");
        // when
        SQLException refusal = thrownBy(() -> applier.apply(
                new DownlinkMessage("d-refused", DownlinkMessage.Kind.DESIRED, "pump-1", 100, REFUSED_PAYLOAD)));
        // then
        assertThat(StoreRefusal.isPermanent(refusal)).isTrue();
        assertThat(statusOf("d-refused")).isEqualTo("failed: refused by the site's store (SQLSTATE 22P05)");
        assertThat(query("SELECT kind || ' ' || device_id || ' ' || version FROM mecgw_downlink_applied"
                        + " WHERE id = 'd-refused'"))
                .isEqualTo("desired pump-1 100");
        assertThat(query("SELECT coalesce(max(desired::text || '@' || cloud_version), 'none') FROM device_twins"))
                .isEqualTo(twinBefore);
        assertThat(stored).isEmpty();
    }

    @Test
    void shouldLeaveNoRowAndThrowTheRefusalWhenTheIdItselfIsRefused() throws Exception {
        // given
        PostgresDownlinkApplier applier = givenAnApplier(edge.getPostgresDatabase());
        // when the id holds U+0000, which no text column takes
        SQLException refusal = thrownBy(() -> applier.apply(command("c-nul\u0000id", "{}")));
        // then the original refusal goes to the loop, with the refused record attached
        assertThat(StoreRefusal.isPermanent(refusal)).isTrue();
        assertThat(refusal.getSuppressed()).hasSize(1);
        assertThat(count("mecgw_downlink_applied WHERE id LIKE 'c-nul%'")).isZero();
        assertThat(stored).isEmpty();
    }

    @Test
    void shouldThrowTheOutageSoThatTheMessageIsRetriedWhenRecordingTheRefusalFails() throws Exception {
        // given a store that goes away after the refused transaction
        PostgresDownlinkApplier flaky = givenAnApplier(refusingConnectionsAfter(1));
        // when
        SQLException outage = thrownBy(() -> flaky.apply(command("c-retried", REFUSED_PAYLOAD)));
        // then the loop sees a failure to retry, and nothing is recorded yet
        assertThat(StoreRefusal.isPermanent(outage)).isFalse();
        assertThat(count("mecgw_downlink_applied WHERE id = 'c-retried'")).isZero();
        // when the loop retries with the store back
        SQLException refusal =
                thrownBy(() -> givenAnApplier(edge.getPostgresDatabase()).apply(command("c-retried", REFUSED_PAYLOAD)));
        // then it is refused again, and now recorded
        assertThat(StoreRefusal.isPermanent(refusal)).isTrue();
        assertThat(statusOf("c-retried")).isEqualTo("failed: refused by the site's store (SQLSTATE 22P05)");
        assertThat(stored).isEmpty();
    }

    private PostgresDownlinkApplier givenAnApplier(DataSource dataSource) {
        return new PostgresDownlinkApplier(dataSource, (message, outcome) -> stored.add(message.id()));
    }

    /** What the applier threw: a store failure, never nothing. */
    private static SQLException thrownBy(ThrowingCallable apply) {
        SQLException thrown = catchThrowableOfType(apply, SQLException.class);
        assertThat((Throwable) thrown).as("the store's failure").isNotNull();
        return thrown;
    }

    private static DownlinkMessage command(String id, String payload) {
        return new DownlinkMessage(id, DownlinkMessage.Kind.COMMAND, "pump-1", 0, payload, "say", null, null);
    }

    /** The edge store, whose connections after the first {@code healthy} fail as when the server is unreachable. */
    private static DataSource refusingConnectionsAfter(int healthy) {
        DataSource store = edge.getPostgresDatabase();
        AtomicInteger connections = new AtomicInteger();
        return (DataSource) Proxy.newProxyInstance(
                DataSource.class.getClassLoader(), new Class<?>[] {DataSource.class}, (proxy, method, args) -> {
                    if (method.getName().equals("getConnection") && connections.incrementAndGet() > healthy) {
                        throw new SQLException("Connection refused", "08001");
                    }
                    try {
                        return method.invoke(store, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }

    private static String statusOf(String id) throws SQLException {
        return query(
                "SELECT outcome || coalesce(': ' || reason, '') FROM mecgw_downlink_applied WHERE id = '" + id + "'");
    }

    private static long count(String from) throws SQLException {
        return Long.parseLong(query("SELECT count(*) FROM " + from));
    }

    /** The first column of the first row, or null without a row (no status recorded). */
    private static String query(String sql) throws SQLException {
        try (Connection connection = edge.getPostgresDatabase().getConnection();
                Statement statement = connection.createStatement();
                ResultSet row = statement.executeQuery(sql)) {
            return row.next() ? row.getString(1) : null;
        }
    }

    private static void execute(String sql) throws SQLException {
        try (Connection connection = edge.getPostgresDatabase().getConnection();
                Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }
}
