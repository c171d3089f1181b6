package dev.mecgw.inference.vision;

import dev.mecgw.inference.event.InferenceEventSink;

/**
 * Where the vision pipeline puts what it finds.
 *
 * @param events event rows
 * @param thumbnails previews of the frames behind detection and classification events
 * @param frames where the raw frames behind events are kept, {@link FrameArchive#NONE} by default
 */
public record VisionOutputs(InferenceEventSink events, Thumbnails thumbnails, FrameArchive frames) {

    /** Events and thumbnails; raw frames are dropped. */
    public VisionOutputs(InferenceEventSink events, Thumbnails thumbnails) {
        this(events, thumbnails, FrameArchive.NONE);
    }

    /** Events only, no thumbnails. */
    public static VisionOutputs eventsOnly(InferenceEventSink events) {
        return new VisionOutputs(events, Thumbnails.NONE);
    }
}
