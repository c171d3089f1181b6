package dev.mecgw.app.inference;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mecgw.app.events.EventLog;
import dev.mecgw.inference.event.InferenceEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EventLogInferenceSinkTest {

    @Test
    void shouldRecordABatchInOneCallWithTheSeverityOfItsKindWhenPublished() {
        // given a sink over an event log that keeps each call
        List<List<EventLog.Entry>> calls = new ArrayList<>();
        EventLog log = new EventLog() {
            @Override
            public void record(String deviceId, String kind, String severity, Map<String, ?> payload) {
                calls.add(List.of(new EventLog.Entry(deviceId, kind, severity, payload)));
            }

            @Override
            public void recordAll(List<Entry> entries) {
                calls.add(entries);
            }
        };
        EventLogInferenceSink sink = new EventLogInferenceSink(log);

        // when the pipeline publishes a detection and an anomaly
        sink.publish(List.of(
                new InferenceEvent("cam-1", "inference.detection", Map.of("label", "person")),
                new InferenceEvent("sensor-1", "inference.anomaly", Map.of("score", 0.9))));

        // then both go to the event log in one call (one transaction), an anomaly as a warning
        assertThat(calls)
                .containsExactly(List.of(
                        new EventLog.Entry("cam-1", "inference.detection", "info", Map.of("label", "person")),
                        new EventLog.Entry("sensor-1", "inference.anomaly", "warning", Map.of("score", 0.9))));
    }
}
