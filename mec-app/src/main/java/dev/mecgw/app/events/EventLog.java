package dev.mecgw.app.events;

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
}
