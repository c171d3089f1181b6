package dev.mecgw.inference.event;

import java.util.List;

/**
 * Where pipelines put their events. Implementations may block (JDBC); pipelines call them from inference
 * workers only.
 */
public interface InferenceEventSink {

    /**
     * Stores events durably, all or none.
     *
     * @throws RuntimeException when storing fails; the pipeline counts the failure and goes on
     */
    void publish(List<InferenceEvent> events);
}
