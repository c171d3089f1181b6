package dev.mecgw.sync.backhaul;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import javax.sql.DataSource;
import org.jboss.logging.Logger;

/**
 * Feeds a {@link BacklogEstimator} from PostgreSQL's cumulative statistics: per captured table and each of its
 * partitions, {@code n_tup_ins + n_tup_upd + n_tup_del}, then the current WAL position and the slot's confirmed
 * flush position. Two catalog and statistics reads, no access to and no lock on the captured tables ({@code to_regclass}
 * and {@code pg_inherits} look names up without locking), so it cannot slow or block ingest. The estimator's state is
 * kept in the unlogged table {@code mecgw_sync_backlog} every 15 s and taken up by the first sample after a
 * restart, so that an outage that spans a gateway restart keeps its full rows and age. Not thread-safe: one caller
 * samples at a time.
 */
final class PostgresBacklogSampler implements BacklogSampler {

    // Partitions are found through pg_inherits rather than pg_partition_tree(), which locks every partition.
    private static final String COUNTS = "WITH RECURSIVE rels(relid) AS ("
            + " SELECT to_regclass(t)::oid FROM unnest(?::text[]) AS t WHERE to_regclass(t) IS NOT NULL"
            + " UNION ALL SELECT i.inhrelid FROM pg_inherits i JOIN rels r ON i.inhparent = r.relid)"
            + " SELECT relid::bigint, pg_stat_get_tuples_inserted(relid) + pg_stat_get_tuples_updated(relid)"
            + " + pg_stat_get_tuples_deleted(relid) FROM rels";
    // Read after the counters: every change counted so far lies at or before this WAL position.
    private static final String POSITIONS = "SELECT (pg_current_wal_lsn() - '0/0'::pg_lsn)::bigint,"
            + " (SELECT (confirmed_flush_lsn - '0/0'::pg_lsn)::bigint FROM pg_replication_slots WHERE slot_name = ?)";

    // Unlogged: no WAL, never replicated, and emptied by crash recovery just as the statistics are.
    private static final String CREATE =
            "CREATE UNLOGGED TABLE IF NOT EXISTS mecgw_sync_backlog (slot text PRIMARY KEY,"
                    + " state text NOT NULL, saved_at timestamptz NOT NULL DEFAULT now())";
    private static final String LOAD = "SELECT state FROM mecgw_sync_backlog WHERE slot = ?";
    private static final String SAVE = "INSERT INTO mecgw_sync_backlog (slot, state) VALUES (?, ?)"
            + " ON CONFLICT (slot) DO UPDATE SET state = excluded.state, saved_at = now()";

    // The state grows with a long outage (up to the estimator's capacity), so it is kept every 15 s, not per sample.
    private static final Duration SAVE_EVERY = Duration.ofSeconds(15);

    private static final Logger LOG = Logger.getLogger(PostgresBacklogSampler.class);

    private final DataSource dataSource;
    private final String slotName;
    private final List<String> tables;
    private final BacklogEstimator estimator;
    private final Clock clock;
    private boolean loaded;
    private volatile Instant savedAt = Instant.MIN;
    private boolean persist = true;

    /**
     * @param dataSource the captured database
     * @param slotName the slot whose backlog is estimated
     * @param tables the tables the slot captures, {@code schema.table}
     * @param estimator where the samples go
     * @param clock the time source for the samples
     */
    PostgresBacklogSampler(
            DataSource dataSource, String slotName, List<String> tables, BacklogEstimator estimator, Clock clock) {
        this.dataSource = dataSource;
        this.slotName = slotName;
        this.tables = List.copyOf(tables);
        this.estimator = estimator;
        this.clock = clock;
    }

    /**
     * Takes one sample.
     *
     * @return the updated estimate
     * @throws SQLException when the database cannot be queried; the estimator keeps its previous estimate
     */
    @Override
    public BacklogEstimate sample() throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            if (!loaded) {
                load(connection);
                loaded = true;
            }
            Map<Long, Long> counts = counts(connection);
            BacklogEstimate estimate;
            try (PreparedStatement statement = connection.prepareStatement(POSITIONS)) {
                statement.setString(1, slotName);
                try (ResultSet row = statement.executeQuery()) {
                    row.next();
                    long wal = row.getLong(1);
                    long confirmed = row.getLong(2);
                    estimate = estimator.record(
                            clock.instant(),
                            wal,
                            counts,
                            row.wasNull() ? OptionalLong.empty() : OptionalLong.of(confirmed));
                }
            }
            if (!savedAt.isAfter(clock.instant().minus(SAVE_EVERY))) {
                save(connection);
            }
            return estimate;
        }
    }

    @Override
    public BacklogEstimate estimate() {
        return estimator.estimate();
    }

    /** Keeps the estimator's state now, e.g. at shutdown; best effort, never throws. */
    @Override
    public void saveState() {
        try (Connection connection = dataSource.getConnection()) {
            save(connection);
        } catch (SQLException e) {
            LOG.debugf("backlog state of slot %s not saved: %s", slotName, e.getMessage());
        }
    }

    private void load(Connection connection) {
        try (Statement create = connection.createStatement();
                PreparedStatement statement = connection.prepareStatement(LOAD)) {
            create.execute(CREATE);
            statement.setString(1, slotName);
            try (ResultSet row = statement.executeQuery()) {
                if (row.next() && !estimator.restore(row.getString(1))) {
                    LOG.debugf("saved backlog state of slot %s not usable; estimating afresh", slotName);
                }
            }
        } catch (SQLException e) {
            persist = false;
            LOG.infof("backlog rows of slot %s are not kept over restarts: %s", slotName, e.getMessage());
        }
    }

    // Best effort: without it the estimate only starts over after a restart (reported as incomplete).
    private void save(Connection connection) {
        if (!persist) {
            return;
        }
        try (PreparedStatement statement = connection.prepareStatement(SAVE)) {
            statement.setString(1, slotName);
            statement.setString(2, estimator.save());
            statement.executeUpdate();
            savedAt = clock.instant();
        } catch (SQLException e) {
            LOG.debugf("backlog state of slot %s not saved: %s", slotName, e.getMessage());
        }
    }

    private Map<Long, Long> counts(Connection connection) throws SQLException {
        Map<Long, Long> counts = new HashMap<>();
        try (PreparedStatement statement = connection.prepareStatement(COUNTS)) {
            Array names = connection.createArrayOf("text", tables.toArray());
            statement.setArray(1, names);
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    counts.put(rows.getLong(1), rows.getLong(2));
                }
            }
        }
        return counts;
    }
}
