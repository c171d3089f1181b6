package dev.mecgw.inference.event;

import java.util.Map;

/**
 * Something a model found, destined for the {@code events} table.
 *
 * @param deviceId the device (sensor or camera) the input came from
 * @param kind event kind, e.g. {@code inference.detection}, {@code inference.classification},
 *        {@code inference.anomaly}
 * @param payload JSON-serializable details (model, version, scores, boxes, window bounds)
 */
public record InferenceEvent(String deviceId, String kind, Map<String, Object> payload) {

    public InferenceEvent {
        payload = Map.copyOf(payload);
    }
}
