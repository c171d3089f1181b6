package dev.mecgw.sync.applier;

import dev.mecgw.sync.cdc.ChangeEvent;
import dev.mecgw.sync.kafka.ChangeEventCodec;
import dev.mecgw.sync.kafka.StoreRefusal;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.sql.Statement;
import java.sql.Timestamp;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * Upserts changes from all sites into one central table {@code mecgw_cloud_rows}, one row per site, table and
 * primary key, with exactly-once effect: the upsert only wins when its {@code (generation, lsn)} is above the stored
 * pair (the ordering rule of docs/sync.md), checked in the same statement (and so the same transaction) as the write.
 * A replayed or reordered change is therefore a no-op, also with several applier instances racing on one row, and a
 * restored edge database (a new generation, whose LSNs start lower) still wins. Deletes keep the row as a tombstone
 * with its pair so that a late, older change cannot resurrect it. Not thread-safe: one instance per consumer
 * thread.
 */
public final class PostgresChangeApplier implements AutoCloseable {

    static final String TABLE = "mecgw_cloud_rows";
    private static final Logger LOG = Logger.getLogger(PostgresChangeApplier.class);
    private static final String UPSERT = "INSERT INTO " + TABLE
            + " (site_id, table_name, pk, generation, lsn, op, deleted, data, commit_time, applied_at)"
            + " VALUES (?, ?, ?, ?, ?, ?, ?, ?::jsonb, ?, now())"
            + " ON CONFLICT (site_id, table_name, pk) DO UPDATE SET generation = EXCLUDED.generation,"
            + " lsn = EXCLUDED.lsn, op = EXCLUDED.op, deleted = EXCLUDED.deleted, data = EXCLUDED.data,"
            + " commit_time = EXCLUDED.commit_time, applied_at = EXCLUDED.applied_at"
            + " WHERE (" + TABLE + ".generation, " + TABLE + ".lsn) < (EXCLUDED.generation, EXCLUDED.lsn)";

    private final String url;
    private final String user;
    private final String password;
    private Connection connection;

    /**
     * @param url JDBC URL of the central PostgreSQL
     * @param user database user
     * @param password the user's password; never logged
     */
    public PostgresChangeApplier(String url, String user, String password) {
        this.url = url;
        this.user = user;
        this.password = password;
    }

    /**
     * Creates the central table when missing.
     *
     * @throws SQLException when the database cannot be reached
     */
    public void createSchema() throws SQLException {
        Connection db = connection();
        try (Statement statement = db.createStatement()) {
            statement.execute(
                    "CREATE TABLE IF NOT EXISTS " + TABLE + " (site_id text NOT NULL, table_name text NOT NULL,"
                            + " pk text NOT NULL, lsn bigint NOT NULL, op char(1) NOT NULL, deleted boolean NOT NULL,"
                            + " data jsonb, commit_time timestamptz NOT NULL, applied_at timestamptz NOT NULL,"
                            + " PRIMARY KEY (site_id, table_name, pk))");
            // central tables created before the generation existed: their rows count as generation 0
            statement.execute(
                    "ALTER TABLE " + TABLE + " ADD COLUMN IF NOT EXISTS generation bigint NOT NULL DEFAULT 0");
        }
        db.commit();
    }

    /**
     * Applies a batch in one transaction. A change the central database refuses for good ({@link StoreRefusal}: a
     * value {@code jsonb} or a column refuses, an integrity violation) would fail its batch on every replay and so
     * block the partitions behind it: the batch is then applied again without it (one savepoint per change), and it
     * is logged at ERROR and counted as refused.
     *
     * @param events changes in the order consumed
     * @return how many were applied, skipped and refused
     * @throws SQLException when the transaction failed otherwise (connection, server); nothing of the batch is then
     *     applied
     */
    public ApplyResult apply(List<ChangeEvent> events) throws SQLException {
        Connection db = connection();
        try {
            return applyAll(db, events);
        } catch (SQLException e) {
            rollbackQuietly(db, e);
            if (!StoreRefusal.isPermanent(e)) {
                throw e;
            }
        }
        // connection() again: a failed rollback dropped the connection
        Connection again = connection();
        try {
            return applyRefusingOneByOne(again, events);
        } catch (SQLException e) {
            rollbackQuietly(again, e);
            throw e;
        }
    }

    private static ApplyResult applyAll(Connection db, List<ChangeEvent> events) throws SQLException {
        try (PreparedStatement upsert = db.prepareStatement(UPSERT)) {
            int applied = 0;
            // One statement per change: a batch with the same key twice must see its own earlier write.
            for (ChangeEvent event : events) {
                bind(upsert, event);
                applied += upsert.executeUpdate();
            }
            db.commit();
            return new ApplyResult(applied, events.size() - applied);
        }
    }

    private static ApplyResult applyRefusingOneByOne(Connection db, List<ChangeEvent> events) throws SQLException {
        int applied = 0;
        int refused = 0;
        try (PreparedStatement upsert = db.prepareStatement(UPSERT)) {
            for (ChangeEvent event : events) {
                Savepoint before = db.setSavepoint();
                try {
                    bind(upsert, event);
                    applied += upsert.executeUpdate();
                    db.releaseSavepoint(before);
                } catch (SQLException e) {
                    if (!StoreRefusal.isPermanent(e)) {
                        throw e;
                    }
                    db.rollback(before);
                    refused++;
                    LOG.errorf(
                            "change of %s at site %s (generation %d, lsn %d) refused by the central database for good"
                                    + " (%s); skipped",
                            event.table(), event.siteId(), event.generation(), event.lsn(), StoreRefusal.describe(e));
                }
            }
        }
        db.commit();
        return new ApplyResult(applied, events.size() - applied - refused, refused);
    }

    private static void bind(PreparedStatement upsert, ChangeEvent event) throws SQLException {
        boolean deleted = event.op() == ChangeEvent.Op.DELETE;
        upsert.setString(1, event.siteId());
        upsert.setString(2, event.table());
        upsert.setString(3, event.key());
        upsert.setLong(4, event.generation());
        upsert.setLong(5, event.lsn());
        upsert.setString(6, event.op().code());
        upsert.setBoolean(7, deleted);
        upsert.setString(8, deleted ? null : ChangeEventCodec.rowJson(event.after()));
        upsert.setTimestamp(9, Timestamp.from(event.commitTime()));
    }

    private Connection connection() throws SQLException {
        if (connection == null || connection.isClosed() || !connection.isValid(2)) {
            closeQuietly();
            connection = DriverManager.getConnection(url, user, password);
            connection.setAutoCommit(false);
        }
        return connection;
    }

    private void rollbackQuietly(Connection db, SQLException cause) {
        try {
            db.rollback();
        } catch (SQLException e) {
            cause.addSuppressed(e);
            closeQuietly();
        }
    }

    private void closeQuietly() {
        if (connection != null) {
            try {
                connection.close();
            } catch (SQLException e) {
                // the connection is being replaced; nothing more can be done with it
            }
            connection = null;
        }
    }

    @Override
    public void close() {
        closeQuietly();
    }
}
