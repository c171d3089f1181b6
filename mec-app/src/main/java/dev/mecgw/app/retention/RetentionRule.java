package dev.mecgw.app.retention;

import java.time.Duration;
import java.time.Instant;

/**
 * One table's retention: rows whose {@code column} is older than {@code age} (or, for {@code future}, dated more
 * than {@code age} ahead) are deleted, in batches chosen by the primary key columns {@code key}.
 *
 * @param table the table (trusted: built from constants, never from input)
 * @param key its primary key columns, comma-separated
 * @param column the time column compared with the cutoff
 * @param age how old (or, for {@code future}, how far ahead) a row must be
 * @param future whether rows ahead of now, not behind, are pruned
 */
public record RetentionRule(String table, String key, String column, Duration age, boolean future) {

    /** @return the cutoff at {@code now} */
    Instant cutoff(Instant now) {
        return future ? now.plus(age) : now.minus(age);
    }

    /** @return one batch's delete; parameter 1 is the cutoff */
    String deleteSql(int batch) {
        return "DELETE FROM " + table + " WHERE (" + key + ") IN (SELECT " + key + " FROM " + table + " WHERE " + column
                + (future ? " > ?" : " < ?") + " LIMIT " + batch + ")";
    }
}
