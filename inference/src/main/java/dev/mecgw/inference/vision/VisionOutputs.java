package dev.mecgw.inference.vision;

import dev.mecgw.inference.event.InferenceEventSink;

/**
 * Where the vision pipeline puts what it finds.
 *
 * @param events event rows
 * @param thumbnails previews of the frames behind detection and classification events
 */
public record VisionOutputs(InferenceEventSink events, Thumbnails thumbnails) {

    /** Events only, no thumbnails. */
    public static VisionOutputs eventsOnly(InferenceEventSink events) {
        return new VisionOutputs(events, Thumbnails.NONE);
    }
}
