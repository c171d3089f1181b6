package dev.mecgw.app.inference;

import dev.mecgw.app.events.EventLog;
import dev.mecgw.inference.event.InferenceEvent;
import dev.mecgw.inference.event.InferenceEventSink;
import java.util.List;

/**
 * The vision and sensor pipelines' events into the gateway's {@link EventLog}, the one writer of the {@code events}
 * table: a batch is one transaction, and each event is announced only once it is committed, so that a QoS rule (issue
 * 7) reacts only to detections that are stored. Blocking (JDBC); the pipelines call it from inference workers.
 */
public final class EventLogInferenceSink implements InferenceEventSink {

    private final EventLog events;

    public EventLogInferenceSink(EventLog events) {
        this.events = events;
    }

    @Override
    public void publish(List<InferenceEvent> batch) {
        events.recordAll(batch.stream()
                .map(e -> new EventLog.Entry(e.deviceId(), e.kind(), severity(e.kind()), e.payload()))
                .toList());
    }

    static String severity(String kind) {
        return kind.endsWith(".anomaly") ? "warning" : "info";
    }
}
