package dev.mecgw.sync.backhaul;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;
import javax.sql.DataSource;

/** Reads a logical replication slot's backlog from {@code pg_replication_slots}. Thread-safe. */
final class PostgresSlotProbe implements SlotProbe {

    private static final String SQL = "SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), confirmed_flush_lsn)::bigint,"
            + " active, wal_status, safe_wal_size FROM pg_replication_slots WHERE slot_name = ?";

    private final DataSource dataSource;
    private final String slotName;

    /**
     * @param dataSource the captured database
     * @param slotName the slot to watch
     */
    PostgresSlotProbe(DataSource dataSource, String slotName) {
        this.dataSource = dataSource;
        this.slotName = slotName;
    }

    @Override
    public Optional<SlotBacklog> read() throws SQLException {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement statement = connection.prepareStatement(SQL)) {
            statement.setString(1, slotName);
            try (ResultSet row = statement.executeQuery()) {
                if (!row.next()) {
                    return Optional.empty();
                }
                long safe = row.getLong(4);
                return Optional.of(new SlotBacklog(
                        row.getLong(1),
                        row.getBoolean(2),
                        row.getString(3),
                        row.wasNull() ? Optional.empty() : Optional.of(safe)));
            }
        }
    }
}
