package dev.mecgw.sync.backhaul;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

import javax.sql.DataSource;

/**
 * Feeds a {@link BacklogEstimator} from PostgreSQL's cumulative statistics: per captured table and each of its
 * partitions, {@code n_tup_ins + n_tup_upd + n_tup_del}, then the current WAL position and the slot's confirmed
 * flush position. Two catalog and statistics reads, no table access and no relation locks ({@code to_regclass} and
 * {@code pg_inherits} look names up without locking), so it cannot slow or block ingest. Thread-safe if the
 * estimator is.
 */
public final class PostgresBacklogSampler {

    // Partitions are found through pg_inherits rather than pg_partition_tree(), which locks every partition.
    private static final String COUNTS = "WITH RECURSIVE rels(relid) AS ("
            + " SELECT to_regclass(t)::oid FROM unnest(?::text[]) AS t WHERE to_regclass(t) IS NOT NULL"
            + " UNION ALL SELECT i.inhrelid FROM pg_inherits i JOIN rels r ON i.inhparent = r.relid)"
            + " SELECT relid::bigint, pg_stat_get_tuples_inserted(relid) + pg_stat_get_tuples_updated(relid)"
            + " + pg_stat_get_tuples_deleted(relid) FROM rels";
    // Read after the counters: every change counted so far lies at or before this WAL position.
    private static final String POSITIONS = "SELECT (pg_current_wal_lsn() - '0/0'::pg_lsn)::bigint,"
            + " (SELECT (confirmed_flush_lsn - '0/0'::pg_lsn)::bigint FROM pg_replication_slots WHERE slot_name = ?)";

    private final DataSource dataSource;
    private final String slotName;
    private final List<String> tables;
    private final BacklogEstimator estimator;
    private final Clock clock;

    /**
     * @param dataSource the captured database
     * @param slotName the slot whose backlog is estimated
     * @param tables the tables the slot captures, {@code schema.table}
     * @param estimator where the samples go
     * @param clock the time source for the samples
     */
    public PostgresBacklogSampler(DataSource dataSource, String slotName, List<String> tables,
            BacklogEstimator estimator, Clock clock) {
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
    public BacklogEstimate sample() throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            Map<Long, Long> counts = counts(connection);
            try (PreparedStatement statement = connection.prepareStatement(POSITIONS)) {
                statement.setString(1, slotName);
                try (ResultSet row = statement.executeQuery()) {
                    row.next();
                    long wal = row.getLong(1);
                    long confirmed = row.getLong(2);
                    return estimator.record(clock.instant(), wal, counts,
                            row.wasNull() ? OptionalLong.empty() : OptionalLong.of(confirmed));
                }
            }
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
