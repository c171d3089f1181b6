package dev.mecgw.inference.vision;

import java.time.Instant;
import java.util.Optional;

/**
 * Keeps the raw frames behind events where a site asks for it. By default ({@link #NONE}) raw frames never
 * leave the edge and are dropped once analyzed.
 */
public interface FrameArchive {

    /** Keeps nothing: the default. */
    FrameArchive NONE = (cameraId, at, frame) -> Optional.empty();

    /**
     * Keeps a frame as received. Called from inference workers; may block on disk.
     *
     * @return a reference to put into the event (a path relative to the archive folder), or empty when nothing
     *         was kept
     */
    Optional<String> keep(String cameraId, Instant at, byte[] frame);
}
