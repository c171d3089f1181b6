package dev.mecgw.app.sync;

import dev.mecgw.app.problem.GatewayException;
import dev.mecgw.app.store.Jdbc;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Warns, while sync is off, about replication slots an earlier configuration left: such a slot keeps WAL forever, and
 * an operator must know before the disk fills.
 */
final class LeftoverSlots {

    private static final Logger LOG = Logger.getLogger(LeftoverSlots.class);

    private final Jdbc jdbc;

    LeftoverSlots(Jdbc jdbc) {
        this.jdbc = jdbc;
    }

    /** @param slotName the configured slot name; slots whose name starts with it (the bulk one too) are reported */
    void warn(String slotName) {
        try {
            Optional<String> slots = jdbc.queryOne(
                    "SELECT string_agg(slot_name, ', ') FROM pg_replication_slots WHERE slot_name LIKE ?",
                    statement -> statement.setString(1, slotName + "%"),
                    row -> row.getString(1));
            slots.ifPresent(names -> LOG.warnf(
                    "sync is off but replication slots %s still retain WAL; if sync stays off, drop them"
                            + " with SELECT pg_drop_replication_slot('<name>')",
                    names));
        } catch (GatewayException e) {
            LOG.debugf(
                    "could not look for leftover replication slots: %s",
                    e.getCause().getMessage());
        }
    }
}
