package dev.mecgw.app.events;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;

/**
 * One row of the {@code events} table as operators see it, with its alarm state (issue 19).
 *
 * @param id the row's key, increasing with insertion
 * @param ts when the event happened
 * @param deviceId the device concerned, or null for site-wide events
 * @param kind the machine-readable kind, e.g. {@code telemetry.rejected}
 * @param severity {@code info}, {@code warning} or {@code alarm}
 * @param payload the details, never null (an empty object when there are none)
 * @param ackedAt when an operator acknowledged it, or null
 * @param ackedBy who acknowledged it, or null
 * @param clearedAt when an operator cleared it, or null
 * @param clearedBy who cleared it, or null
 */
public record StoredEvent(
        long id,
        Instant ts,
        String deviceId,
        String kind,
        String severity,
        JsonNode payload,
        Instant ackedAt,
        String ackedBy,
        Instant clearedAt,
        String clearedBy) {

    /** Whether this is a warning or an alarm, the severities operators acknowledge and clear. */
    public boolean alarming() {
        return Severity.ALARMING.contains(severity);
    }

    /** Whether it is alarming and not cleared yet. */
    public boolean active() {
        return alarming() && clearedAt == null;
    }

    public boolean acknowledged() {
        return ackedAt != null;
    }
}
