package dev.mecgw.app.events;

import java.time.Instant;
import java.util.List;

/**
 * "What is wrong now" (issue 19): the active alarms counted by severity and acknowledgement, and grouped by kind and
 * device, worst first.
 *
 * @param counts one entry per alarming severity, worst first, zeros included
 * @param groups the active alarms by kind and device: severity {@code alarm} before {@code warning}, then newest first
 * @param more whether there are more groups than listed
 */
public record AlarmSummary(List<Count> counts, List<Group> groups, boolean more) {

    /**
     * Active alarms of one severity.
     *
     * @param severity {@code alarm} or {@code warning}
     * @param unacknowledged how many no one has acknowledged
     * @param acknowledged how many are acknowledged but not cleared
     */
    public record Count(String severity, long unacknowledged, long acknowledged) {

        public long total() {
            return unacknowledged + acknowledged;
        }
    }

    /**
     * Active alarms of one kind on one device (or site-wide).
     *
     * @param severity the worst severity in the group
     * @param kind the events' kind
     * @param deviceId the device, or null for site-wide events
     * @param count active events in the group
     * @param unacknowledged those not acknowledged
     * @param firstAt the oldest one's time
     * @param lastAt the newest one's time
     * @param lastId the newest one's id
     */
    public record Group(
            String severity,
            String kind,
            String deviceId,
            long count,
            long unacknowledged,
            Instant firstAt,
            Instant lastAt,
            long lastId) {}

    /** Active alarms of every severity. */
    public long total() {
        return counts.stream().mapToLong(Count::total).sum();
    }

    /** Active alarms no one has acknowledged. */
    public long unacknowledged() {
        return counts.stream().mapToLong(Count::unacknowledged).sum();
    }
}
