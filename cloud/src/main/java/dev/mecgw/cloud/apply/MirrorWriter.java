package dev.mecgw.cloud.apply;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Writes one poll batch of changes and heartbeats in the caller's transaction: each change into its typed mirror
 * (or {@code unmapped_rows}), each site's last change time and heartbeat into {@code sites}. Not thread-safe: one
 * per consumer thread.
 */
final class MirrorWriter {

    private static final Logger LOG = Logger.getLogger(MirrorWriter.class);

    private static final String UNMAPPED = "INSERT INTO unmapped_rows (site_id, table_name, pk, data, src_generation,"
            + " src_lsn, src_commit_time, deleted, mirrored_at) VALUES (?, ?, CAST(? AS jsonb), CAST(? AS jsonb), ?,"
            + " ?, ?, ?, now()) ON CONFLICT (site_id, table_name, pk) DO UPDATE SET data = EXCLUDED.data,"
            + " src_generation = EXCLUDED.src_generation, src_lsn = EXCLUDED.src_lsn,"
            + " src_commit_time = EXCLUDED.src_commit_time, deleted = EXCLUDED.deleted,"
            + " mirrored_at = EXCLUDED.mirrored_at WHERE (unmapped_rows.src_generation, unmapped_rows.src_lsn)"
            + " < (EXCLUDED.src_generation, EXCLUDED.src_lsn)";
    private static final String LAST_CHANGE = "INSERT INTO sites (site_id, last_change_at) VALUES (?, ?)"
            + " ON CONFLICT (site_id) DO UPDATE SET last_change_at ="
            + " greatest(sites.last_change_at, EXCLUDED.last_change_at)";
    private static final String HEARTBEAT = "INSERT INTO sites (site_id, heartbeat_sent_at, heartbeat_received_at,"
            + " gateway_version, health, backlog_rows, lag_seconds, devices_online, devices_total, models)"
            + " VALUES (?, ?, now(), ?, ?, ?, ?, ?, ?, CAST(? AS jsonb)) ON CONFLICT (site_id) DO UPDATE SET"
            + " heartbeat_sent_at = EXCLUDED.heartbeat_sent_at, heartbeat_received_at = now(),"
            + " gateway_version = EXCLUDED.gateway_version, health = EXCLUDED.health,"
            + " backlog_rows = EXCLUDED.backlog_rows, lag_seconds = EXCLUDED.lag_seconds,"
            + " devices_online = EXCLUDED.devices_online, devices_total = EXCLUDED.devices_total,"
            + " models = EXCLUDED.models"
            // A replayed (older) heartbeat must not make a site look alive again.
            + " WHERE sites.heartbeat_sent_at IS NULL OR sites.heartbeat_sent_at < EXCLUDED.heartbeat_sent_at";

    private final MirrorCatalog catalog;

    MirrorWriter(MirrorCatalog catalog) {
        this.catalog = catalog;
    }

    /**
     * Applies a batch; the caller commits. A batch that PostgreSQL rejects for its data (a value that does not fit
     * its column after an edge type change) is rolled back and applied again change by change, each failing change
     * kept whole in {@code unmapped_rows}, so one bad row never stops a site.
     *
     * @param connection a connection with auto-commit off
     * @param changes changes in consumed order
     * @param heartbeats heartbeats in consumed order
     * @return the counts of the batch
     * @throws SQLException when the database fails for another reason; the caller rolls back and retries
     */
    ApplyResult apply(Connection connection, List<Change> changes, List<Heartbeat> heartbeats) throws SQLException {
        Savepoint start = connection.setSavepoint();
        ApplyResult result;
        try {
            result = applyBatched(connection, changes);
        } catch (SQLException e) {
            if (!isDataError(e)) {
                throw e;
            }
            // The SQLSTATE only: PostgreSQL's message echoes the statement with its values.
            LOG.warnf(
                    "a batch of %d changes has a value its mirror rejects (SQLSTATE %s); applying one by one",
                    changes.size(), sqlState(e));
            connection.rollback(start);
            result = applyOneByOne(connection, changes);
        }
        recordLastChanges(connection, changes);
        int beats = recordHeartbeats(connection, heartbeats);
        return new ApplyResult(result.applied(), result.skipped(), result.unmapped(), beats);
    }

    private ApplyResult applyBatched(Connection connection, List<Change> changes) throws SQLException {
        // Per table in consumed order: one key changed twice in a batch is written in order by the batch.
        Map<String, List<Change>> byTable = new LinkedHashMap<>();
        List<Change> unmapped = new ArrayList<>();
        Map<String, MirrorTable> mirrors = new HashMap<>();
        for (Change change : changes) {
            Optional<MirrorTable> mirror = catalog.find(connection, change.table());
            if (mirror.isPresent() && mirror.get().hasKey(change)) {
                mirrors.put(change.table(), mirror.get());
                byTable.computeIfAbsent(change.table(), t -> new ArrayList<>()).add(change);
            } else {
                unmapped.add(change);
            }
        }
        int applied = 0;
        for (Map.Entry<String, List<Change>> entry : byTable.entrySet()) {
            MirrorTable mirror = mirrors.get(entry.getKey());
            try (PreparedStatement upsert = connection.prepareStatement(mirror.upsert())) {
                for (Change change : entry.getValue()) {
                    mirror.bind(upsert, change);
                    upsert.addBatch();
                }
                applied += sum(upsert.executeBatch());
            }
        }
        int unmappedApplied = 0;
        if (!unmapped.isEmpty()) {
            try (PreparedStatement upsert = connection.prepareStatement(UNMAPPED)) {
                for (Change change : unmapped) {
                    bindUnmapped(upsert, change);
                    upsert.addBatch();
                }
                unmappedApplied = sum(upsert.executeBatch());
            }
        }
        int written = applied + unmappedApplied;
        return new ApplyResult(written, changes.size() - written, unmapped.size(), 0);
    }

    private ApplyResult applyOneByOne(Connection connection, List<Change> changes) throws SQLException {
        int applied = 0;
        int unmapped = 0;
        for (Change change : changes) {
            Savepoint before = connection.setSavepoint();
            try {
                applied += applyBatched(connection, List.of(change)).applied();
            } catch (SQLException e) {
                if (!isDataError(e)) {
                    throw e;
                }
                connection.rollback(before);
                LOG.warnf(
                        "change of %s at site %s (lsn %d) does not fit its mirror (SQLSTATE %s); kept in unmapped_rows",
                        change.table(), change.siteId(), change.lsn(), sqlState(e));
                try (PreparedStatement upsert = connection.prepareStatement(UNMAPPED)) {
                    bindUnmapped(upsert, change);
                    applied += upsert.executeUpdate();
                }
                unmapped++;
            }
        }
        return new ApplyResult(applied, changes.size() - applied, unmapped, 0);
    }

    private static void bindUnmapped(PreparedStatement upsert, Change change) throws SQLException {
        upsert.setString(1, change.siteId());
        upsert.setString(2, change.table());
        upsert.setString(3, change.key().toString());
        upsert.setString(4, change.delete() ? null : change.row().toString());
        upsert.setLong(5, change.generation());
        upsert.setLong(6, change.lsn());
        upsert.setTimestamp(7, Timestamp.from(change.commitTime()));
        upsert.setBoolean(8, change.delete());
    }

    private static void recordLastChanges(Connection connection, List<Change> changes) throws SQLException {
        Map<String, Instant> last = new HashMap<>();
        for (Change change : changes) {
            last.merge(change.siteId(), change.commitTime(), (a, b) -> a.isAfter(b) ? a : b);
        }
        if (last.isEmpty()) {
            return;
        }
        try (PreparedStatement upsert = connection.prepareStatement(LAST_CHANGE)) {
            for (Map.Entry<String, Instant> site : last.entrySet()) {
                upsert.setString(1, site.getKey());
                upsert.setTimestamp(2, Timestamp.from(site.getValue()));
                upsert.addBatch();
            }
            upsert.executeBatch();
        }
    }

    private static int recordHeartbeats(Connection connection, List<Heartbeat> heartbeats) throws SQLException {
        if (heartbeats.isEmpty()) {
            return 0;
        }
        try (PreparedStatement upsert = connection.prepareStatement(HEARTBEAT)) {
            for (Heartbeat beat : heartbeats) {
                upsert.setString(1, beat.siteId());
                upsert.setTimestamp(2, Timestamp.from(beat.sentAt()));
                upsert.setString(3, beat.gatewayVersion());
                upsert.setString(4, beat.health());
                setOrNull(upsert, 5, beat.backlogRows(), Types.BIGINT);
                setOrNull(upsert, 6, beat.lagSeconds(), Types.DOUBLE);
                setOrNull(upsert, 7, beat.devicesOnline(), Types.INTEGER);
                setOrNull(upsert, 8, beat.devicesTotal(), Types.INTEGER);
                upsert.setString(9, beat.modelsJson());
                upsert.addBatch();
            }
            return sum(upsert.executeBatch());
        }
    }

    private static void setOrNull(PreparedStatement statement, int index, Object value, int type) throws SQLException {
        if (value == null) {
            statement.setNull(index, type);
        } else {
            statement.setObject(index, value, type);
        }
    }

    private static int sum(int[] counts) {
        int total = 0;
        for (int count : counts) {
            total += Math.max(count, 0);
        }
        return total;
    }

    /** SQLSTATE class 22 (data exception) or 23 (integrity): the data is at fault, not the database. */
    static boolean isDataError(SQLException e) {
        String state = sqlState(e);
        return state != null && (state.startsWith("22") || state.startsWith("23"));
    }

    private static String sqlState(SQLException e) {
        SQLException cause = e;
        // A failed batch may report the statement's error as the next exception.
        while (cause.getSQLState() == null && cause.getNextException() != null) {
            cause = cause.getNextException();
        }
        return cause.getSQLState();
    }
}
