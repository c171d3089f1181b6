package dev.mecgw.app.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mecgw.app.problem.ErrorKind;
import dev.mecgw.app.problem.GatewayException;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * Runs against the real embedded PostgreSQL: commit, rollback, visibility to other connections and error mapping
 * are the server's to judge. Stores on one thread and one pool share one transaction (issue 18); this pins what
 * joining means: one commit, all or nothing, announcements only after the commit, nothing left behind on the thread.
 */
@QuarkusTest
class JdbcTest {

    private static final String TYPE = "jdbc-test";
    private static final String BROKEN = "UPDATE no_such_table SET x = 1";

    @Inject
    DataSource dataSource;

    @Test
    void shouldCommitWhenTheWorkReturns() {
        // given the helper of a store
        Jdbc jdbc = givenAStore();

        // when two rows are written in one transaction
        jdbc.inTransaction(c -> {
            insert(c, "a/#");
            return insert(c, "b/#");
        });

        // then both are visible, in order, to a later query
        assertThat(filters(jdbc)).containsExactly("a/#", "b/#");
    }

    @Test
    void shouldRollBackAndRethrowWhenTheWorkFails() {
        // given the helper of a store
        Jdbc jdbc = givenAStore();
        IllegalStateException failure = new IllegalStateException("half way");

        // when the work fails after a write
        assertThatThrownBy(() -> jdbc.inTransaction(c -> {
                    insert(c, "a/#");
                    throw failure;
                }))
                // then the caller sees its own exception and nothing was written
                .isSameAs(failure);
        assertThat(filters(jdbc)).isEmpty();
    }

    @Test
    void shouldRollBackWhenTheWorkThrowsAnError() {
        // given the helper of a store
        Jdbc jdbc = givenAStore();
        StackOverflowError failure = new StackOverflowError("deep payload");

        // when the work dies of an Error, not an Exception, after a write
        assertThatThrownBy(() -> jdbc.inTransaction(c -> {
                    insert(c, "a/#");
                    throw failure;
                }))
                // then the Error passes unchanged and the write is not committed by the pool taking the connection back
                .isSameAs(failure);
        assertThat(committedFilters()).isEmpty();
    }

    @Test
    void shouldJoinTheOpenTransactionWhenAnotherStoreOnThePoolOpensOneInsideIt() {
        // given two stores on the same pool
        Jdbc outer = givenAStore();
        Jdbc inner = givenAnotherStoreOnThePool();
        List<String> readInside = new ArrayList<>();
        List<String> committedMeanwhile = new ArrayList<>();

        // when the second writes inside the first one's transaction
        outer.inTransaction(c -> {
            insert(c, "outer/#");
            inner.inTransaction(joined -> {
                readInside.addAll(filters(inner));
                return insert(joined, "inner/#");
            });
            committedMeanwhile.addAll(committedFilters());
            return null;
        });

        // then it read the outer write, nobody else saw its own before the outer commit, and both are one commit
        assertThat(readInside).containsExactly("outer/#");
        assertThat(committedMeanwhile).isEmpty();
        assertThat(committedFilters()).containsExactly("outer/#", "inner/#");
        assertThat(writingTransactions()).isEqualTo(1);
    }

    @Test
    void shouldRollBackTheWholeTransactionAndPropagateWhenAJoinedCallFails() {
        // given a write of the outer store
        Jdbc outer = givenAStore();
        Jdbc inner = givenAnotherStoreOnThePool();
        IllegalStateException failure = new IllegalStateException("inner half way");

        // when a joined call fails after a write of its own
        assertThatThrownBy(() -> outer.inTransaction(c -> {
                    insert(c, "outer/#");
                    return inner.inTransaction(joined -> {
                        insert(joined, "inner/#");
                        throw failure;
                    });
                }))
                // then its exception reaches the outer caller and neither write is committed
                .isSameAs(failure);
        assertThat(committedFilters()).isEmpty();
    }

    @Test
    void shouldRollBackTheWholeTransactionWhenAJoinedStatementFails() {
        // given a write of the outer store
        Jdbc outer = givenAStore();
        Jdbc inner = givenAnotherStoreOnThePool();

        // when a joined call's statement fails in the database
        assertThatThrownBy(() -> outer.inTransaction(c -> {
                    insert(c, "outer/#");
                    return inner.inTransaction(
                            joined -> joined.createStatement().executeUpdate(BROKEN));
                }))
                // then the joined store's error reaches the outer caller and nothing is committed
                .isInstanceOfSatisfying(
                        GatewayException.class, e -> assertThat(e.getMessage()).isEqualTo("Other store unavailable"));
        assertThat(committedFilters()).isEmpty();
    }

    @Test
    void shouldRollBackTheWholeTransactionWhenTheOuterWorkCarriesOnAfterAJoinedFailure() {
        // given a joined call that fails after a write of its own, and outer work that catches that
        Jdbc outer = givenAStore();
        Jdbc inner = givenAnotherStoreOnThePool();
        IllegalStateException failure = new IllegalStateException("inner half way");
        List<String> announced = new ArrayList<>();

        // when the outer work returns normally all the same
        assertThatThrownBy(() -> outer.inTransaction(c -> {
                    insert(c, "outer/#");
                    outer.afterCommit(() -> announced.add("outer"));
                    try {
                        inner.inTransaction(joined -> {
                            insert(joined, "inner/#");
                            throw failure;
                        });
                    } catch (IllegalStateException swallowed) {
                        // carries on, as a careless caller would
                    }
                    return null;
                }))
                // then the joined call's all-or-nothing holds: nothing is committed, nothing announced, the caller
                // learns of the failure
                .isSameAs(failure);
        assertThat(committedFilters()).isEmpty();
        assertThat(announced).isEmpty();
    }

    @Test
    void shouldFailAndOpenANewTransactionNextWhenTheDatabaseRefusesTheCommit() {
        // given outer work that carries on after a statement failed (PostgreSQL aborted the transaction)
        Jdbc jdbc = givenAStore();
        List<String> announced = new ArrayList<>();

        // when it returns normally all the same
        assertThatThrownBy(() -> jdbc.inTransaction(c -> {
                    insert(c, "a/#");
                    jdbc.afterCommit(() -> announced.add("a"));
                    try {
                        jdbc.update(BROKEN, Jdbc.NO_PARAMETERS);
                    } catch (GatewayException swallowed) {
                        // carries on, as a careless caller would
                    }
                    return null;
                }))
                // then the refused commit is the store's unavailability, and nothing was committed or announced
                .isInstanceOfSatisfying(GatewayException.class, e -> {
                    assertThat(e.kind()).isEqualTo(ErrorKind.UNAVAILABLE);
                    assertThat(e.getMessage()).isEqualTo("Test store unavailable");
                });
        assertThat(committedFilters()).isEmpty();
        assertThat(announced).isEmpty();

        // and the thread's next call does not join the failed transaction: it commits on its own
        jdbc.update(INSERT, ps -> ps.setString(1, "b/#"));
        assertThat(committedFilters()).containsExactly("b/#");
    }

    @Test
    void shouldOpenANewTransactionWhenCalledAfterTheOuterOneEnded() {
        // given a committed and a rolled back transaction of one store on this thread
        Jdbc jdbc = givenAStore();
        jdbc.inTransaction(c -> insert(c, "first/#"));
        assertThatThrownBy(() -> jdbc.inTransaction(c -> {
                    insert(c, "second/#");
                    throw new IllegalStateException("rolled back");
                }))
                .isInstanceOf(IllegalStateException.class);

        // when the same thread opens another one and writes
        List<String> committedMeanwhile = new ArrayList<>();
        jdbc.inTransaction(c -> {
            insert(c, "third/#");
            committedMeanwhile.addAll(committedFilters());
            return null;
        });

        // then it joined neither: its write was its own until its own commit, which is a second commit
        assertThat(committedMeanwhile).containsExactly("first/#");
        assertThat(committedFilters()).containsExactly("first/#", "third/#");
        assertThat(writingTransactions()).isEqualTo(2);
    }

    @Test
    void shouldNotJoinATransactionOfAnotherDataSource() {
        // given a store on the pool and one on another data source of the same database
        Jdbc pool = givenAStore();
        Jdbc other = new Jdbc(anotherDataSource(), "Other store");
        List<String> committedMeanwhile = new ArrayList<>();

        // when the second writes inside the first one's transaction, which then fails
        assertThatThrownBy(() -> pool.inTransaction(c -> {
                    insert(c, "pool/#");
                    other.inTransaction(own -> insert(own, "other/#"));
                    committedMeanwhile.addAll(committedFilters());
                    throw new IllegalStateException("pool work fails");
                }))
                .isInstanceOf(IllegalStateException.class);

        // then the second committed on its own when it returned, and the first one's rollback leaves it be
        assertThat(committedMeanwhile).containsExactly("other/#");
        assertThat(committedFilters()).containsExactly("other/#");
    }

    @Test
    void shouldRunAfterCommitCallbacksOnlyOnceTheOuterTransactionCommitted() {
        // given a transaction in which the outer and a joined store register announcements
        Jdbc outer = givenAStore();
        Jdbc inner = givenAnotherStoreOnThePool();
        List<List<String>> seenByCallbacks = new ArrayList<>();
        List<Integer> runInside = new ArrayList<>();

        // when it commits
        outer.inTransaction(c -> {
            insert(c, "a/#");
            outer.afterCommit(() -> seenByCallbacks.add(committedFilters()));
            inner.inTransaction(joined -> {
                inner.afterCommit(() -> seenByCallbacks.add(committedFilters()));
                return insert(joined, "b/#");
            });
            runInside.add(seenByCallbacks.size());
            return null;
        });

        // then none ran before the commit, and each saw every write of the transaction committed
        assertThat(runInside).containsExactly(0);
        assertThat(seenByCallbacks).containsExactly(List.of("a/#", "b/#"), List.of("a/#", "b/#"));
    }

    @Test
    void shouldNotRunAfterCommitCallbacksWhenTheTransactionRollsBack() {
        // given announcements registered by the outer and a joined store
        Jdbc outer = givenAStore();
        Jdbc inner = givenAnotherStoreOnThePool();
        List<String> announced = new ArrayList<>();

        // when the transaction fails after them
        assertThatThrownBy(() -> outer.inTransaction(c -> {
                    outer.afterCommit(() -> announced.add("outer"));
                    inner.inTransaction(joined -> {
                        inner.afterCommit(() -> announced.add("inner"));
                        return insert(joined, "a/#");
                    });
                    throw new IllegalStateException("fails after");
                }))
                .isInstanceOf(IllegalStateException.class);

        // then none ran, and a later commit on this thread does not run them either
        givenAStore().inTransaction(c -> insert(c, "b/#"));
        assertThat(announced).isEmpty();
    }

    @Test
    void shouldRunAfterCommitAtOnceOutsideATransaction() {
        List<String> announced = new ArrayList<>();

        givenAStore().afterCommit(() -> announced.add("now"));

        assertThat(announced).containsExactly("now");
    }

    @Test
    void shouldReportTheStoreUnavailableWhenTheDatabaseFails() {
        // given the helper of a store
        Jdbc jdbc = givenAStore();

        // when the database rejects a statement, alone or in a transaction
        assertThatThrownBy(() -> jdbc.update(BROKEN, Jdbc.NO_PARAMETERS))
                // then the one gateway error for it comes out, naming the store, not the SQL; the cause stays for the
                // log
                .isInstanceOfSatisfying(GatewayException.class, JdbcTest::assertTestStoreUnavailable);
        assertThatThrownBy(() -> jdbc.inTransaction(c -> c.createStatement().executeUpdate(BROKEN)))
                .isInstanceOfSatisfying(GatewayException.class, JdbcTest::assertTestStoreUnavailable);
    }

    @Test
    void shouldReportTheStoreUnavailableWhenNoConnectionCanBeHad() {
        // given a store whose database refuses its logins
        PGSimpleDataSource refusing = anotherDataSource();
        refusing.setPassword("not-the-password");
        Jdbc jdbc = new Jdbc(refusing, "Test store");

        // when it borrows a connection, alone or for a transaction, then the store is unavailable
        assertThatThrownBy(() -> jdbc.queryList("SELECT 1", Jdbc.NO_PARAMETERS, rs -> rs.getInt(1)))
                .isInstanceOfSatisfying(GatewayException.class, JdbcTest::assertTestStoreUnavailable);
        assertThatThrownBy(() -> jdbc.inTransaction(c -> insert(c, "a/#")))
                .isInstanceOfSatisfying(GatewayException.class, JdbcTest::assertTestStoreUnavailable);

        // and no transaction was left open for the thread to join: the next call on a working pool commits at once
        givenAStore().update(INSERT, ps -> ps.setString(1, "b/#"));
        assertThat(committedFilters()).containsExactly("b/#");
    }

    @Test
    void shouldMapDatabaseFailuresWithTheStoresOwnTranslationWhenGivenOne() {
        // given a store whose contract documents another exception (as the SIM registry's does)
        Jdbc jdbc = new Jdbc(dataSource, e -> new IllegalArgumentException("mapped", e));

        // when the database rejects a statement, alone or in a transaction, then that exception comes out
        assertThatThrownBy(() -> jdbc.update(BROKEN, Jdbc.NO_PARAMETERS))
                .isInstanceOf(IllegalArgumentException.class)
                .hasCauseInstanceOf(SQLException.class);
        assertThatThrownBy(() -> jdbc.inTransaction(c -> c.createStatement().executeUpdate(BROKEN)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasCauseInstanceOf(SQLException.class);
    }

    @Test
    void shouldAnswerEmptyWhenNoRowMatches() {
        assertThat(givenAStore()
                        .queryOne(
                                "SELECT id FROM acl_rules WHERE device_type = ?",
                                ps -> ps.setString(1, TYPE),
                                rs -> rs.getLong(1)))
                .isEmpty();
    }

    @Test
    void shouldKeepEachCommittedBatchAndRollBackTheRestWhenBatchWorkEnds() {
        // given the helper of a store
        Jdbc jdbc = givenAStore();

        // when work that commits as it goes commits one batch and leaves a second one open
        int batches = jdbc.inBatches(c -> {
            insert(c, "a/#");
            c.commit();
            insert(c, "b/#");
            return 1;
        });

        // then the committed batch stays and the open one is rolled back, not committed by the pool
        assertThat(batches).isEqualTo(1);
        assertThat(committedFilters()).containsExactly("a/#");
    }

    @Test
    void shouldKeepCommittedBatchesAndRethrowWhenBatchWorkFails() {
        // given the helper of a store
        Jdbc jdbc = givenAStore();
        IllegalStateException failure = new IllegalStateException("half way");

        // when the work fails after one committed batch and a write of the next
        assertThatThrownBy(() -> jdbc.inBatches(c -> {
                    insert(c, "a/#");
                    c.commit();
                    insert(c, "b/#");
                    throw failure;
                }))
                // then the caller sees its own exception, and only the committed batch is stored
                .isSameAs(failure);
        assertThat(committedFilters()).containsExactly("a/#");
    }

    @Test
    void shouldReportTheStoreUnavailableWhenABatchFails() {
        // given the helper of a store
        Jdbc jdbc = givenAStore();

        // when the database rejects a statement of a batch
        assertThatThrownBy(() -> jdbc.inBatches(c -> c.createStatement().executeUpdate(BROKEN)))
                // then the one gateway error for it comes out
                .isInstanceOfSatisfying(GatewayException.class, JdbcTest::assertTestStoreUnavailable);
    }

    @Test
    void shouldRefuseBatchWorkInsideAnOpenTransaction() {
        // given a transaction open on the pool
        Jdbc jdbc = givenAStore();

        // when work that commits as it goes is started inside it
        assertThatThrownBy(() -> jdbc.inTransaction(c -> {
                    insert(c, "a/#");
                    return givenAnotherStoreOnThePool().inBatches(batch -> insert(batch, "b/#"));
                }))
                // then it is refused, since its commits would commit the transaction half way, and nothing is stored
                .isInstanceOf(IllegalStateException.class);
        assertThat(committedFilters()).isEmpty();
    }

    @AfterEach
    void removeTestRows() {
        givenAStore().update("DELETE FROM acl_rules WHERE device_type = ?", ps -> ps.setString(1, TYPE));
    }

    private static final String INSERT =
            "INSERT INTO acl_rules (device_type, action, topic_filter) VALUES ('" + TYPE + "', 'PUBLISH', ?)";

    private Jdbc givenAStore() {
        return new Jdbc(dataSource, "Test store");
    }

    /** Another store's helper on the same pool, as the twin store and the event log are beside the rollout store. */
    private Jdbc givenAnotherStoreOnThePool() {
        return new Jdbc(dataSource, "Other store");
    }

    /** The same database through a data source of its own (no pool): its connections are never the pool's. */
    private static PGSimpleDataSource anotherDataSource() {
        var config = ConfigProvider.getConfig();
        PGSimpleDataSource other = new PGSimpleDataSource();
        other.setUrl(config.getValue(EmbeddedPostgresConfigSourceFactory.JDBC_URL, String.class));
        other.setUser(config.getValue(EmbeddedPostgresConfigSourceFactory.USERNAME, String.class));
        other.setPassword(config.getValue(EmbeddedPostgresConfigSourceFactory.PASSWORD, String.class));
        return other;
    }

    private static int insert(Connection c, String filter) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(INSERT)) {
            ps.setString(1, filter);
            return ps.executeUpdate();
        }
    }

    private static List<String> filters(Jdbc jdbc) {
        return jdbc.queryList(
                "SELECT topic_filter FROM acl_rules WHERE device_type = ? ORDER BY id",
                ps -> ps.setString(1, TYPE),
                rs -> rs.getString(1));
    }

    /** What another connection, outside of any transaction of this thread, sees committed. */
    private static List<String> committedFilters() {
        return filters(new Jdbc(anotherDataSource(), "Observer"));
    }

    /** How many transactions wrote the test rows: one commit makes one. */
    private static int writingTransactions() {
        return new Jdbc(anotherDataSource(), "Observer")
                .queryOne(
                        "SELECT count(DISTINCT xmin::text) FROM acl_rules WHERE device_type = ?",
                        ps -> ps.setString(1, TYPE),
                        rs -> rs.getInt(1))
                .orElseThrow();
    }

    private static void assertTestStoreUnavailable(GatewayException e) {
        assertThat(e.kind()).isEqualTo(ErrorKind.UNAVAILABLE);
        assertThat(e.getMessage()).isEqualTo("Test store unavailable");
        assertThat(e).hasCauseInstanceOf(SQLException.class);
    }
}
