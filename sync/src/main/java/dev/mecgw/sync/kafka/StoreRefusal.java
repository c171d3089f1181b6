package dev.mecgw.sync.kafka;

import java.sql.SQLException;

/**
 * Tells a store failure that a retry can fix from a refusal that no retry changes, for the consumer loops that retry
 * the one and skip the other: a record the store refuses for good must not block its partition. Permanent are the
 * SQLSTATE classes 22 (data exception: a value its column or {@code jsonb} refuses, such as U+0000 or a number out of
 * range) and 23 (integrity constraint violation). Everything else is retried: a lost or refused connection (class
 * 08), the server shutting down (57P01), a serialization failure or deadlock (40001, 40P01), a lock or statement
 * timeout, exhausted resources (class 53), and a failure without SQLSTATE.
 *
 * <p>A store that may raise 23505 (unique violation) for a record it already holds must not leave that case to this
 * class: that is "already applied", not a refusal. The stores of the sync loops insert their applied-id rows with
 * {@code ON CONFLICT DO NOTHING} (and the cloud's rows with {@code ON CONFLICT DO UPDATE}), so a redelivery never
 * raises it and every 23xxx they raise is a refusal.
 */
public final class StoreRefusal {

    private StoreRefusal() {}

    /**
     * @param failure what the store threw
     * @return true when retrying the same write cannot succeed
     */
    public static boolean isPermanent(SQLException failure) {
        String state = sqlState(failure);
        return state != null && (state.startsWith("22") || state.startsWith("23"));
    }

    /**
     * @param failure what the store threw
     * @return its SQLSTATE and the first line of its message, for the log: PostgreSQL's detail lines echo the
     *     refused values, which a log line must not carry
     */
    public static String describe(SQLException failure) {
        String message = String.valueOf(failure.getMessage());
        int end = message.indexOf('\n');
        return "SQLSTATE " + sqlState(failure) + ": " + (end < 0 ? message : message.substring(0, end)).strip();
    }

    /**
     * @param failure what the store threw
     * @return the SQLSTATE of the failure, or of the first of its next exceptions or causes that has one (a batch's);
     *     null when none has one. Unlike the message, it never quotes a refused value
     */
    public static String sqlState(SQLException failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            for (SQLException e = cause instanceof SQLException sql ? sql : null; e != null; e = e.getNextException()) {
                if (e.getSQLState() != null) {
                    return e.getSQLState();
                }
            }
        }
        return null;
    }
}
