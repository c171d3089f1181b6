package dev.mecgw.app.telemetry;

import java.time.Instant;

/**
 * One stored telemetry value.
 *
 * @param deviceId the device that sent it
 * @param metric metric name as sent by the device
 * @param ts the device's timestamp, or the receive time when the device sent none
 * @param value the numeric value; 0 or 1 for a boolean
 * @param unit the unit the device declared (SenML {@code u}/{@code bu}), or null when it declared none
 * @param kind what the value is
 * @param quality 0 when the value is good; otherwise the flags its source qualified it with (issue 21: the bits of
 *     the IEC 60870-5-101 QDS octet, 0x80 invalid, 0x40 not topical, 0x20 substituted, 0x10 blocked, 0x08 time tag
 *     invalid, 0x02 counter carry/adjusted, 0x01 overflow), stored with the value rather than dropping or cleaning it
 */
public record Reading(String deviceId, String metric, Instant ts, double value, String unit, Kind kind, int quality) {

    /** Bits of {@link #quality()} that make a value unfit for aggregates: invalid or not topical. */
    public static final int UNFIT = 0x80 | 0x40;

    /** A good reading (every MQTT and CoAP reading). */
    public Reading(String deviceId, String metric, Instant ts, double value, String unit, Kind kind) {
        this(deviceId, metric, ts, value, unit, kind, 0);
    }

    /** A number without a declared unit: the plain JSON object form. */
    public Reading(String deviceId, String metric, Instant ts, double value) {
        this(deviceId, metric, ts, value, null, Kind.NUMBER);
    }

    /** What a stored value is; booleans are stored as 0/1 and keep this kind (issue 23). */
    public enum Kind {
        /** A measured number (SenML {@code v}). */
        NUMBER,
        /** A boolean stored as 0 or 1 (SenML {@code vb}). */
        BOOLEAN,
        /** An integrated sum over time (SenML {@code s}). */
        SUM;

        /** The lower-case name used in the database and the API. */
        public String label() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }
}
