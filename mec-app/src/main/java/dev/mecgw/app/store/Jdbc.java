package dev.mecgw.app.store;

import dev.mecgw.app.problem.ErrorKind;
import dev.mecgw.app.problem.GatewayException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import javax.sql.DataSource;

/**
 * The one way gateway stores reach PostgreSQL: borrow a connection, optionally run in a transaction, and turn
 * every {@link SQLException} into the gateway's "store unavailable" error ({@link ErrorKind#UNAVAILABLE},
 * message {@code "<store> unavailable"}) in exactly one place. Deliberately small: statements stay plain JDBC
 * inside the callbacks. Blocking; call it from a worker thread, never from an event loop. Thread-safe.
 */
public final class Jdbc {

    /** Work on a borrowed connection; the connection is closed (returned to the pool) afterwards. */
    @FunctionalInterface
    public interface SqlWork<T> {
        T run(Connection c) throws SQLException;
    }

    /** Binds the parameters of a prepared statement. */
    @FunctionalInterface
    public interface Binder {
        void bind(PreparedStatement ps) throws SQLException;
    }

    /** Maps the current row of a result set. */
    @FunctionalInterface
    public interface RowMapper<T> {
        T map(ResultSet rs) throws SQLException;
    }

    /** Binds nothing, for statements without parameters. */
    public static final Binder NO_PARAMETERS = ps -> {};

    /**
     * The transaction each thread has open per pool (issue 18, rollout of 1,000 devices): statements of any store on
     * the same pool that run inside it join it, so that several stores write one unit with one fsync'd commit.
     */
    private static final ThreadLocal<Map<DataSource, OpenTransaction>> OPEN = ThreadLocal.withInitial(HashMap::new);

    /**
     * A thread's open transaction: its connection, what to run once it committed, and the first failure of a call
     * that joined it, which dooms it to roll back.
     */
    private static final class OpenTransaction {
        final Connection connection;
        final List<Runnable> afterCommit;
        private RuntimeException doomedBy;

        OpenTransaction(Connection connection, List<Runnable> afterCommit) {
            this.connection = connection;
            this.afterCommit = afterCommit;
        }

        /** Marks the transaction for rollback (the first failure is kept) and returns {@code failure} to throw. */
        RuntimeException doom(RuntimeException failure) {
            if (doomedBy == null) {
                doomedBy = failure;
            }
            return failure;
        }
    }

    private final DataSource dataSource;
    private final Function<SQLException, ? extends RuntimeException> translate;

    /**
     * @param dataSource the pool to borrow from
     * @param store the store's name as clients may read it, e.g. {@code "Twin store"}; errors say
     *     {@code "<store> unavailable"}
     */
    public Jdbc(DataSource dataSource, String store) {
        this(dataSource, e -> unavailable(store, e));
    }

    /**
     * For a store whose contract asks for another mapping: a unique violation as a conflict (device registry), or
     * the exception a library's interface documents (the network integration's {@code SimRegistry}).
     *
     * @param translate turns a failure into the exception the caller throws; never returns null
     */
    public Jdbc(DataSource dataSource, Function<SQLException, ? extends RuntimeException> translate) {
        this.dataSource = dataSource;
        this.translate = translate;
    }

    /**
     * The database's own failure under a store error (the "unavailable" mapping keeps it as the cause): what an
     * operator can act on (a lock timeout, a full disk) and what a caller judges retry by (its SQLSTATE).
     *
     * @return the first {@link SQLException} in {@code failure}'s cause chain, itself included; null when none
     */
    public static SQLException databaseCause(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof SQLException sql) {
                return sql;
            }
        }
        return null;
    }

    /** @return the message of {@link #databaseCause}, or of {@code failure} itself when it has no database cause */
    public static String databaseReason(Throwable failure) {
        SQLException database = databaseCause(failure);
        return String.valueOf((database != null ? database : failure).getMessage());
    }

    /** The gateway's "store unavailable" error: the one wording, used for every store. */
    public static GatewayException unavailable(String store, Exception cause) {
        return new GatewayException(ErrorKind.UNAVAILABLE, store + " unavailable", cause);
    }

    /**
     * Runs {@code work} on a connection in the pool's default (auto-commit) mode.
     *
     * @throws GatewayException when the database fails (or what the translation of this instance gives); runtime
     *     exceptions of {@code work} pass unchanged
     */
    public <T> T withConnection(SqlWork<T> work) {
        OpenTransaction open = OPEN.get().get(dataSource);
        if (open != null) {
            // Inside a transaction of this thread on the same pool: read its writes, and write into it.
            try {
                return work.run(open.connection);
            } catch (SQLException e) {
                // PostgreSQL has aborted the transaction: its commit would be a silent rollback (the driver does not
                // say so), so the outermost call must fail even when its work catches this and carries on.
                throw open.doom(translate.apply(e));
            }
        }
        try (Connection c = dataSource.getConnection()) {
            return work.run(c);
        } catch (SQLException e) {
            throw translate.apply(e);
        }
    }

    /**
     * Runs {@code work} in one transaction: committed when it returns, rolled back when it throws (a rollback
     * failure is attached as suppressed). Called while this thread has a transaction open on the same pool (any
     * store's), it joins that one: its writes are committed or rolled back with the outermost call's. A joined call
     * that throws, or a joined statement the database rejects, dooms the whole transaction: the outermost call rolls
     * back and throws that exception even when its own work caught it and carried on, so that a joined call is all or
     * nothing too.
     *
     * @throws GatewayException when the database fails; exceptions and errors of {@code work} pass unchanged
     */
    public <T> T inTransaction(SqlWork<T> work) {
        Map<DataSource, OpenTransaction> open = OPEN.get();
        OpenTransaction joined = open.get(dataSource);
        if (joined != null) {
            // Joins the thread's transaction: the outermost call commits (or rolls back) all of it once.
            try {
                return withConnection(work);
            } catch (RuntimeException e) {
                throw joined.doom(e);
            }
        }
        List<Runnable> afterCommit = new ArrayList<>();
        T result = withConnection(c -> {
            c.setAutoCommit(false);
            OpenTransaction tx = new OpenTransaction(c, afterCommit);
            open.put(dataSource, tx);
            try {
                T done = work.run(c);
                if (tx.doomedBy != null) {
                    throw tx.doomedBy;
                }
                c.commit();
                return done;
            } catch (Throwable e) {
                // Errors too: the pool restores auto-commit on a connection it takes back, which commits what is open.
                afterCommit.clear();
                try {
                    c.rollback();
                } catch (SQLException rollback) {
                    e.addSuppressed(rollback);
                }
                throw e;
            } finally {
                open.remove(dataSource);
            }
        });
        afterCommit.forEach(Runnable::run);
        return result;
    }

    /**
     * Runs {@code work} that commits as it goes, one short transaction per batch (retention: bounded deletes, each with
     * its own lock timeout, issue 14): on one connection with auto-commit off, where {@code work} commits or rolls back
     * each batch itself. What it leaves uncommitted, returning or throwing, is rolled back, never committed by the pool
     * taking the connection back. Unlike {@link #inTransaction} it never joins this thread's open transaction: its
     * commits would commit that transaction's work half way.
     *
     * @throws GatewayException when the database fails; batches committed before stay committed
     * @throws IllegalStateException when this thread has a transaction open on the same pool (a defect)
     */
    public <T> T inBatches(SqlWork<T> work) {
        if (OPEN.get().containsKey(dataSource)) {
            throw new IllegalStateException("work that commits in batches cannot run inside an open transaction");
        }
        return withConnection(c -> {
            c.setAutoCommit(false);
            T done;
            try {
                done = work.run(c);
            } catch (Throwable e) {
                try {
                    c.rollback();
                } catch (SQLException rollback) {
                    e.addSuppressed(rollback);
                }
                throw e;
            }
            c.rollback();
            return done;
        });
    }

    /**
     * Runs {@code action} once the data written so far is durable: after the commit of the thread's open transaction
     * on this pool (not at all when it rolls back), or at once outside of one. For announcements that must not run
     * ahead of the commit (events, device notifications). {@code action} must not throw.
     */
    public void afterCommit(Runnable action) {
        OpenTransaction open = OPEN.get().get(dataSource);
        if (open == null) {
            action.run();
        } else {
            open.afterCommit.add(action);
        }
    }

    /** The first row of a query, if any. */
    public <T> Optional<T> queryOne(String sql, Binder binder, RowMapper<T> row) {
        return withConnection(c -> {
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                binder.bind(ps);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.ofNullable(row.map(rs)) : Optional.empty();
                }
            }
        });
    }

    /** All rows of a query, in the order the database returns them. */
    public <T> List<T> queryList(String sql, Binder binder, RowMapper<T> row) {
        return withConnection(c -> {
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                binder.bind(ps);
                try (ResultSet rs = ps.executeQuery()) {
                    List<T> rows = new ArrayList<>();
                    while (rs.next()) {
                        rows.add(row.map(rs));
                    }
                    return rows;
                }
            }
        });
    }

    /** Runs an INSERT, UPDATE or DELETE and returns the number of rows it touched. */
    public int update(String sql, Binder binder) {
        return withConnection(c -> {
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                binder.bind(ps);
                return ps.executeUpdate();
            }
        });
    }
}
