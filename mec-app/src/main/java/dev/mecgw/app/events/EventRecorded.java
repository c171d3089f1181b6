package dev.mecgw.app.events;

import java.util.Map;

/**
 * CDI event fired asynchronously ({@code Event.fireAsync}) after an {@link EventLog} row was written, so
 * that other areas can react to events (issue 7: QoS on demand) without slowing down the caller. Observe it
 * with {@code @ObservesAsync}; a plain {@code @Observes} never sees it. Observers run on worker threads, in
 * no particular order relative to each other, and may block.
 *
 * @param deviceId the device concerned, or null for site-wide events
 * @param kind the event's kind, e.g. {@code inference.detection}
 * @param severity {@code info}, {@code warning} or {@code alarm}
 * @param payload the details as recorded; read-only for observers
 */
public record EventRecorded(String deviceId, String kind, String severity, Map<String, ?> payload) {}
