package dev.mecgw.app.retention;

import dev.mecgw.app.store.Jdbc;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import javax.sql.DataSource;

/**
 * Deletes expired rows table by table in bounded batches, each its own short transaction (lock waits capped by
 * {@code lock_timeout}), and marks each pruning transaction in {@link #MARKS_TABLE} before it deletes, so that the
 * sync capture keeps these deletes at the site (docs/sync.md, "Retention vs replication"). Blocking; one run at a
 * time.
 */
public final class PostgresRetention {

    /** The local marker table the sync capture reads ({@code V100__retention_marks.sql}). */
    public static final String MARKS_TABLE = "mecgw_retention_marks";

    // The 32-bit xid, as pgoutput (and so Debezium's source.txId) reports it; txid_current() adds the epoch above.
    private static final String MARK = "INSERT INTO " + MARKS_TABLE + " (xid) VALUES (txid_current() % 4294967296)"
            + " ON CONFLICT (xid) DO UPDATE SET marked_at = now(), lsn = NULL";
    private static final String MARK_LSN = "UPDATE " + MARKS_TABLE + " SET lsn = pg_current_wal_insert_lsn()"
            + " WHERE xid = txid_current() % 4294967296";
    // A marker must outlive every slot's backlog: a capture far behind still has to recognise the deletes.
    private static final String DROP_MARKS = "DELETE FROM " + MARKS_TABLE + " WHERE marked_at < ? AND lsn IS NOT NULL"
            + " AND lsn < COALESCE((SELECT min(confirmed_flush_lsn) FROM pg_replication_slots WHERE slot_type ="
            + " 'logical' AND database = current_database()), 'FFFFFFFF/FFFFFFFF'::pg_lsn)";

    /** The store's name in its errors: {@code "Retention store unavailable"}. */
    private static final String STORE = "Retention store";

    private final Jdbc jdbc;
    private final List<RetentionRule> rules;
    private final int batchSize;
    private final int maxBatches;
    private final Duration marksKeep;
    private final Clock clock;

    /**
     * @param rules the tables to prune, in order
     * @param batchSize rows per transaction
     * @param maxBatches most transactions per table and run
     * @param marksKeep least age of a marker before it may be dropped
     */
    public PostgresRetention(
            DataSource dataSource,
            List<RetentionRule> rules,
            int batchSize,
            int maxBatches,
            Duration marksKeep,
            Clock clock) {
        this.jdbc = new Jdbc(dataSource, STORE);
        this.rules = List.copyOf(rules);
        this.batchSize = batchSize;
        this.maxBatches = maxBatches;
        this.marksKeep = marksKeep;
        this.clock = clock;
    }

    /**
     * Runs every rule once, unless a stop is requested: {@code stopRequested} is asked before the run takes its
     * connection, before each batch and before the markers are dropped, and once it answers true the run ends there,
     * so nothing is deleted after the request but the batch already running (one short transaction).
     *
     * @param stopRequested whether the run must end; asked on the calling thread
     * @return rows deleted per table, whether every table was pruned to its cutoff, and whether a stop ended the run
     * @throws dev.mecgw.app.problem.GatewayException (unavailable) when the store fails, with the database's error as
     *     its cause; batches committed before stay deleted
     */
    public RetentionRun prune(BooleanSupplier stopRequested) {
        // Asked before the connection too: a run that begins after the stop does not touch the store at all.
        if (stopRequested.getAsBoolean()) {
            return new RetentionRun(Map.of(), false, true);
        }
        Instant now = clock.instant();
        return jdbc.inBatches(connection -> {
            Map<String, Long> deleted = new LinkedHashMap<>();
            boolean complete = true;
            for (RetentionRule rule : rules) {
                TableRun table = pruneTable(connection, rule, now, stopRequested);
                deleted.put(rule.table(), table.rows());
                complete &= table.complete();
                if (table.stopped()) {
                    return new RetentionRun(deleted, false, true);
                }
            }
            // Dropping markers deletes too; they keep until the next run.
            if (stopRequested.getAsBoolean()) {
                return new RetentionRun(deleted, complete, true);
            }
            deleted.put(MARKS_TABLE, dropMarks(connection, now));
            return new RetentionRun(deleted, complete, false);
        });
    }

    /** What one table's batches did: rows deleted, whether the table reached its cutoff, whether a stop ended them. */
    private record TableRun(long rows, boolean complete, boolean stopped) {}

    /** One table's batches: until one deletes less than a batch, {@code maxBatches} ran, or a stop is requested. */
    private TableRun pruneTable(Connection connection, RetentionRule rule, Instant now, BooleanSupplier stopRequested)
            throws SQLException {
        long rows = 0;
        for (int batches = 0; batches < maxBatches; batches++) {
            if (stopRequested.getAsBoolean()) {
                return new TableRun(rows, false, true);
            }
            int last = batch(connection, rule, now);
            rows += last;
            if (last < batchSize) {
                return new TableRun(rows, true, false);
            }
        }
        return new TableRun(rows, false, false);
    }

    /** One batch in its own transaction; one that fails is rolled back by {@link Jdbc#inBatches}, ending the run. */
    private int batch(Connection connection, RetentionRule rule, Instant now) throws SQLException {
        try (Statement statement = connection.createStatement();
                PreparedStatement delete = connection.prepareStatement(rule.deleteSql(batchSize))) {
            statement.execute("SET LOCAL lock_timeout = '2s'");
            statement.executeUpdate(MARK);
            delete.setTimestamp(1, Timestamp.from(rule.cutoff(now)));
            int rows = delete.executeUpdate();
            if (rows == 0) {
                // Nothing deleted: no marker needed either.
                connection.rollback();
                return 0;
            }
            statement.executeUpdate(MARK_LSN);
            connection.commit();
            return rows;
        }
    }

    private long dropMarks(Connection connection, Instant now) throws SQLException {
        try (PreparedStatement drop = connection.prepareStatement(DROP_MARKS)) {
            drop.setTimestamp(1, Timestamp.from(now.minus(marksKeep)));
            int rows = drop.executeUpdate();
            connection.commit();
            return rows;
        }
    }
}
