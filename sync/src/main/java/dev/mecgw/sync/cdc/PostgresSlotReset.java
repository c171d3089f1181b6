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
final class PostgresSlotReset {

    private static final int ATTEMPTS = 50;

    private PostgresSlotReset() {}

    // A stopped engine's WAL sender can outlive it by a moment; end it, and retry while PostgreSQL lets go.
    private static void dropSlot(Connection connection, String slotName) throws SQLException, InterruptedException {
        for (int attempt = 1; ; attempt++) {
            try (PreparedStatement terminate = connection.prepareStatement("SELECT pg_terminate_backend(active_pid)"
                            + " FROM pg_replication_slots WHERE slot_name = ? AND active");
                    PreparedStatement drop = connection.prepareStatement(
                            "SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots WHERE slot_name = ?")) {
                terminate.setString(1, slotName);
                terminate.execute();
                drop.setString(1, slotName);
                drop.execute();
                return;
            } catch (SQLException e) {
                if (attempt == ATTEMPTS || !"55006".equals(e.getSQLState())) {
                    throw e;
                }
                Thread.sleep(100);
            }
        }
    }

    /**
     * @param dataSource the captured database
     * @param slotName the slot to drop; a missing slot is fine
     * @param engineName the capture's name, under which its offsets are stored
     * @throws SQLException when the slot stays active or the database cannot be reached
     * @throws InterruptedException when interrupted while waiting for the slot's sender to end
     */
    static void reset(DataSource dataSource, String slotName, String engineName)
            throws SQLException, InterruptedException {
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(true);
            dropSlot(connection, slotName);
            PostgresOffsetBackingStore.createTable(connection);
            try (PreparedStatement forget = connection.prepareStatement(
                    "DELETE FROM " + PostgresOffsetBackingStore.TABLE + " WHERE store = ?")) {
                forget.setString(1, engineName);
                forget.execute();
            }
        }
    }
}
