package dev.mecgw.sync.cdc;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;

import javax.sql.DataSource;

/**
 * Forgets a capture's position: drops its replication slot (releasing the WAL it holds) and its stored offsets, so
 * that its next start snapshots its tables afresh. Only for a stopped capture; PostgreSQL refuses to drop an
 * active slot.
 */
public final class PostgresSlotReset {

    private PostgresSlotReset() {
    }

    /**
     * @param dataSource the captured database
     * @param slotName the slot to drop; a missing slot is fine
     * @param engineName the capture's name, under which its offsets are stored
     * @throws SQLException when the slot is still active or the database cannot be reached
     */
    public static void reset(DataSource dataSource, String slotName, String engineName) throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(true);
            try (PreparedStatement drop = connection.prepareStatement(
                    "SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots WHERE slot_name = ?")) {
                drop.setString(1, slotName);
                drop.execute();
            }
            PostgresOffsetBackingStore.createTable(connection);
            try (PreparedStatement forget = connection.prepareStatement(
                    "DELETE FROM " + PostgresOffsetBackingStore.TABLE + " WHERE store = ?")) {
                forget.setString(1, engineName);
                forget.execute();
            }
        }
    }
}
