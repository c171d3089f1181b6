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
 */
public record Reading(String deviceId, String metric, Instant ts, double value, String unit, Kind kind) {

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
