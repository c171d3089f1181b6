package dev.mecgw.sync.cdc;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.UUID;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.source.SourceRecord;

/**
 * Where the WAL stood when a capture started, as a mark the capture can recognise in its own stream (issue 13,
 * docs/sync.md "Priority lanes"). After a restart the critical capture's first batches may hold only the BEGIN and END
 * markers of other transactions (soak run s9f1: the bulk {@code INSERT} committed just before the critical one), so
 * "nothing pending" does not yet mean "nothing to come". At its start the capture writes a transactional logical
 * decoding message ({@code pg_logical_emit_message}) whose prefix carries a token of this start; decoding follows
 * commit order, so once the capture has read that message it has read every transaction committed before its start.
 * A message is used rather than an LSN compared with {@code pg_current_wal_lsn()} because PostgreSQL 15 skips empty
 * transactions: on a quiet site nothing else would ever reach the capture. {@code pgoutput} streams messages from
 * PostgreSQL 14 on (Debezium asks for them there); on an older server the barrier counts as passed at once, which is
 * the behaviour before it. A message of an earlier start (written, never read, then a crash) carries another token and
 * does not count. Thread-safe: written by the engine's start callback, read by its polling thread.
 */
final class StartBarrier {

    /** Prefix of the barrier messages; the capture's mapper sends no logical message ({@code op = m}) to the cloud. */
    static final String PREFIX = "mecgw.start-barrier.";
    /** First server version whose {@code pgoutput} streams logical decoding messages. */
    private static final int MESSAGES_SINCE = 140000;

    private final String prefix;
    private volatile boolean passed;

    private StartBarrier(String prefix, boolean passed) {
        this.prefix = prefix;
        this.passed = passed;
    }

    /** @return a barrier for a new start, not passed until its message is observed (or it is given up) */
    static StartBarrier forNewStart() {
        return new StartBarrier(PREFIX + UUID.randomUUID(), false);
    }

    /** @return a barrier that was never set: a capture without priority has nothing to wait for */
    static StartBarrier none() {
        return new StartBarrier(PREFIX, true);
    }

    /**
     * Writes the barrier into the WAL, after the capture's slot exists (a message written before it would never be
     * streamed to it).
     *
     * @throws SQLException when the database refuses; the caller gives the barrier up
     */
    void emit(Connection connection) throws SQLException {
        if (passed) {
            return;
        }
        if (connection.getMetaData().getDatabaseMajorVersion() * 10000 < MESSAGES_SINCE) {
            passed = true;
            return;
        }
        try (PreparedStatement emit = connection.prepareStatement("SELECT pg_logical_emit_message(true, ?, '')")) {
            emit.setString(1, prefix);
            emit.execute();
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
            passed = true;
        }
    }

    /** Counts the barrier as passed without its message (it could not be written): the behaviour before it. */
    void giveUp() {
        passed = true;
    }

    /** @return the prefix of this start's message */
    String prefix() {
        return prefix;
    }

    /** @return whether the capture has read everything committed before its start */
    boolean passed() {
        return passed;
    }
}
