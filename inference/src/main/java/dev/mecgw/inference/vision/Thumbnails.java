package dev.mecgw.inference.vision;

import java.awt.image.BufferedImage;
import java.time.Instant;
import java.util.Optional;

/** Keeps a small local preview of frames that produced an event; raw frames are kept only by a {@link FrameArchive}. */
public interface Thumbnails {

    /** Stores nothing: for sites that want no image data on disk at all. */
    Thumbnails NONE = (cameraId, at, image) -> Optional.empty();

    /**
     * Stores a thumbnail. Called from inference workers; may block on disk.
     *
     * @return a reference to put into the event (a path relative to the thumbnails folder), or empty when
     *         nothing was stored
     */
    Optional<String> store(String cameraId, Instant at, BufferedImage image);
}
