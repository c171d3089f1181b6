package dev.mecgw.app.ingest;

import java.time.Instant;

/**
 * One SenML record in resolved form (RFC 8428 section 4.6): base name, time, unit, value and sum already
 * applied, time absolute.
 *
 * @param index position of the record in its pack, from 0 (names the record in refusals)
 * @param name base name + name, never empty, RFC 8428 section 4.5.1 characters
 * @param unit the record's unit, else the base unit; null when neither is present
 * @param kind which value field the record carried; {@link Kind#NONE} when it carries only a sum
 * @param value the numeric value ({@code bv + v}), or 0/1 for a boolean; null for NONE, STRING and DATA
 * @param text the string value ({@code vs}) or data value ({@code vd}, as sent); null otherwise
 * @param sum {@code bs + s}, or null when the record has no sum
 * @param time absolute time of the record
 * @param updateTime the {@code ut} field in seconds, or null
 */
record SenmlRecord(
        int index,
        String name,
        String unit,
        Kind kind,
        Double value,
        String text,
        Double sum,
        Instant time,
        Double updateTime) {

    /** The value field a record carried (RFC 8428 allows at most one). */
    public enum Kind {
        NUMBER,
        BOOLEAN,
        STRING,
        DATA,
        NONE
    }
}
