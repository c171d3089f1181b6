package dev.mecgw.sync.cdc;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import java.util.function.Supplier;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.source.SourceRecord;
import org.jboss.logging.Logger;

/**
 * Where the WAL stood when a capture started, as a mark the capture can recognise in its own stream (issue 13,
 * docs/sync.md "Priority lanes"). After a restart the critical capture's first batches may hold only the BEGIN and END
 * markers of other transactions (soak run s9f1: the bulk {@code INSERT} committed just before the critical one), so
 * "nothing pending" does not yet mean "nothing to come". Once its engine polls, the capture writes a transactional
 * logical decoding message ({@code pg_logical_emit_message}) whose prefix carries a token of this start; decoding
 * follows commit order, so once the capture has read that message it has read every transaction committed before it.
 * A message is used rather than an LSN compared with {@code pg_current_wal_lsn()} because PostgreSQL 15 skips empty
 * transactions: on a quiet site nothing else would ever reach the capture.
 * <p>
 * The message is written only once the capture's slot exists (a message written before would never be streamed to
 * it: Debezium may report its task started and create the slot later, when it retries a start that failed), and is
 * tried again before each batch until then. It counts as passed at once on a server before PostgreSQL 14 (whose
 * {@code pgoutput} streams no messages), and is given up, with a WARN, when the database refuses it or when it was not
 * read back within {@link #GIVE_UP_AFTER} (a pass-through setting that filters messages, a capture stuck elsewhere):
 * the gate then follows the capture's reports alone, as before the barrier. A message of an earlier start carries
 * another token and does not count. Thread-safe: written from the engine's polling callback or thread, read by the
 * polling thread.
 */
final class StartBarrier {

    private static final Logger LOG = Logger.getLogger(StartBarrier.class);

    /** Prefix of the barrier messages; the capture's mapper sends no logical message ({@code op = m}) to the cloud. */
    static final String PREFIX = "mecgw.start-barrier.";
    /** How long a written barrier may take to come back before the gate stops waiting for it. */
    static final Duration GIVE_UP_AFTER = Duration.ofMinutes(5);

    /** What writing the barrier came to. */
    enum Written {
        /** In the WAL: the capture reads it back once it has read everything before it. */
        YES,
        /** The capture's slot does not exist yet: try again later. */
        NOT_YET,
        /** The server streams no messages to the capture (before PostgreSQL 14): there is nothing to wait for. */
        NEVER
    }

    /** Writes the message of one start. */
    @FunctionalInterface
    interface Writer {
        /**
         * @param prefix the message's prefix, with this start's token
         * @throws SQLException when the database refuses or cannot be reached
         */
        Written write(String prefix) throws SQLException;
    }

    /** Opens a connection to the captured database. */
    @FunctionalInterface
    interface Database {
        Connection open() throws SQLException;
    }

    private final String capture;
    private final String prefix;
    private final Writer writer;
    /** The time, injected: tests move it past {@link #GIVE_UP_AFTER}. */
    private final Supplier<Instant> clock;

    private volatile boolean passed;
    private boolean readBack;
    private Instant writtenAt;

    private StartBarrier(String capture, String prefix, Writer writer, Supplier<Instant> clock, boolean passed) {
        this.capture = capture;
        this.prefix = prefix;
        this.writer = writer;
        this.clock = clock;
        this.passed = passed;
    }

    /**
     * @param capture the capture's name, for the WARN of a barrier given up
     * @return a barrier for a new start, not passed until its message is read back (or it is given up)
     */
    static StartBarrier forNewStart(String capture, Writer writer, Supplier<Instant> clock) {
        return new StartBarrier(capture, PREFIX + UUID.randomUUID(), writer, clock, false);
    }

    /** @return a barrier that was never set: a capture without priority has nothing to wait for */
    static StartBarrier none() {
        return new StartBarrier("", PREFIX, prefix -> Written.NEVER, Instant::now, true);
    }

    /**
     * The writer of the PostgreSQL the capture reads: the message in a transaction of its own, once {@code slotName}
     * exists.
     */
    static Writer postgres(Database database, String slotName) {
        return prefix -> {
            try (Connection connection = database.open()) {
                if (connection.getMetaData().getDatabaseMajorVersion() < 14) {
                    return Written.NEVER;
                }
                try (PreparedStatement slot =
                        connection.prepareStatement("SELECT 1 FROM pg_replication_slots WHERE slot_name = ?")) {
                    slot.setString(1, slotName);
                    try (ResultSet found = slot.executeQuery()) {
                        if (!found.next()) {
                            return Written.NOT_YET;
                        }
                    }
                }
                try (PreparedStatement emit =
                        connection.prepareStatement("SELECT pg_logical_emit_message(true, ?, '')")) {
                    emit.setString(1, prefix);
                    emit.execute();
                }
                return Written.YES;
            }
        };
    }

    /** Writes the barrier unless it was written (or passed) already; called when polling starts and before batches. */
    void writeWhenDue() {
        if (passed) {
            return; // every batch of a capture past its barrier, and of a capture without one: no lock
        }
        writeOnce();
    }

    private synchronized void writeOnce() {
        if (passed || writtenAt != null) {
            return;
        }
        try {
            switch (writer.write(prefix)) {
                case YES -> writtenAt = clock.get();
                case NEVER -> passed = true;
                case NOT_YET -> {
                    // the next batch tries again: records flow only once the slot streams
                }
            }
        } catch (SQLException e) {
            giveUp("could not mark its start in the WAL (" + e.getMessage() + ")");
        }
    }

    /** Takes note of {@code record}: this start's barrier message passes the barrier. */
    void observe(SourceRecord record) {
        if (passed || !(record.value() instanceof Struct value)) {
            return;
        }
        if (value.schema().field("op") == null || !"m".equals(value.getString("op"))) {
            return;
        }
        if (value.schema().field("message") != null
                && value.getStruct("message") != null
                && prefix.equals(value.getStruct("message").getString("prefix"))) {
            synchronized (this) {
                readBack = true;
                passed = true;
            }
        }
    }

    /**
     * @return whether the capture has read everything committed before its start (or the barrier was given up: after
     *     {@link #GIVE_UP_AFTER} without its message, this call gives it up)
     */
    boolean passed() {
        if (passed) {
            return true;
        }
        synchronized (this) {
            if (!passed
                    && writtenAt != null
                    && Duration.between(writtenAt, clock.get()).compareTo(GIVE_UP_AFTER) > 0) {
                giveUp("did not read back the mark of its start within " + GIVE_UP_AFTER.toMinutes() + " min (a"
                        + " pass-through setting that filters logical messages?)");
            }
            return passed;
        }
    }

    /** @return whether the barrier passed because its own message was read back (not given up, not unsupported) */
    synchronized boolean readBack() {
        return readBack;
    }

    /** @return the prefix of this start's message */
    String prefix() {
        return prefix;
    }

    private void giveUp(String why) {
        passed = true;
        LOG.warnf(
                "sync capture '%s' %s: after this start the bulk lane may send before critical changes committed"
                        + " before it",
                capture, why);
    }
}
