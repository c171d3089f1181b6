package dev.mecgw.inference.vision;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Raw frames as received (JPEG, PNG) in {@code <root>/<camera>/<epoch-millis>.jpg|.png}, at most
 * {@code keepPerCamera} per camera, the oldest deleted first. Only for sites that configure it: by default
 * raw frames are dropped once analyzed.
 */
public final class FileFrameArchive implements FrameArchive {

    private static final Logger LOG = Logger.getLogger(FileFrameArchive.class);

    private final CameraFiles files;

    /**
     * @param root frames folder
     * @param keepPerCamera how many frames to keep per camera, at least 1
     */
    public FileFrameArchive(Path root, int keepPerCamera) {
        this.files = new CameraFiles(root, keepPerCamera);
    }

    @Override
    public Optional<String> keep(String cameraId, Instant at, byte[] frame) {
        boolean png = frame.length > 1 && (frame[0] & 0xff) == 0x89 && frame[1] == 'P';
        try {
            return Optional.of(files.write(cameraId, at, png ? ".png" : ".jpg", file -> Files.write(file, frame)));
        } catch (IOException e) {
            LOG.warnf("Frame of %s not kept: %s", cameraId, e.getMessage());
            return Optional.empty();
        }
    }
}
