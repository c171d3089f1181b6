package dev.mecgw.app.events;

import java.util.List;
import java.util.Map;

/**
 * Append-only record of things an operator should see: rejected payloads, security events, presence
 * changes, inference results. Rows go to the {@code events} table (and from there to the cloud by CDC).
 * Blocking; call from worker threads.
 */
public interface EventLog {

    /**
     * Records one event.
     *
     * @param deviceId the device concerned, or null for site-wide events
     * @param kind short machine-readable kind, e.g. {@code telemetry.rejected}
     * @param severity {@code info}, {@code warning} or {@code alarm}
     * @param payload details; serialized as JSON; must not contain secrets
     */
    void record(String deviceId, String kind, String severity, Map<String, ?> payload);

    /**
     * Records many events in one transaction (a rollout step over a fleet, issue 18): one commit instead of one per
     * event; each is announced once the commit is durable.
     *
     * @param entries the events, stored in this order
     */
    default void recordAll(List<Entry> entries) {
        entries.forEach(e -> record(e.deviceId(), e.kind(), e.severity(), e.payload()));
    }

    /** One event of {@link #recordAll}; the fields are those of {@link #record}. */
    record Entry(String deviceId, String kind, String severity, Map<String, ?> payload) {}
}
