package dev.mecgw.sync.backhaul;

import java.sql.SQLException;
import java.util.Optional;

/**
 * Reads what one replication slot holds back for the cloud ({@link BackhaulMonitor#slotProbe} builds the PostgreSQL
 * one). Thread-safe.
 */
@FunctionalInterface
public interface SlotProbe {

    /**
     * @return the slot's backlog, or empty when the slot does not exist (yet)
     * @throws SQLException when the database cannot be queried
     */
    Optional<SlotBacklog> read() throws SQLException;
}
