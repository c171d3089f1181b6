package dev.mecgw.inference.vision;

import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;
import javax.imageio.ImageIO;
import org.jboss.logging.Logger;

/**
 * JPEG thumbnails in {@code <root>/<camera>/<epoch-millis>.jpg}, at most {@code keepPerCamera} per camera
 * (the oldest go first), so the folder cannot fill the disk.
 */
public final class ImageIoThumbnails implements Thumbnails {

    private static final Logger LOG = Logger.getLogger(ImageIoThumbnails.class);

    private final CameraFiles files;
    private final int width;

    /**
     * @param root thumbnails folder
     * @param width thumbnail width in pixels; the height keeps the aspect ratio
     * @param keepPerCamera how many thumbnails to keep per camera, at least 1
     */
    public ImageIoThumbnails(Path root, int width, int keepPerCamera) {
        this.files = new CameraFiles(root, keepPerCamera);
        this.width = width;
    }

    @Override
    public Optional<String> store(String cameraId, Instant at, BufferedImage image) {
        try {
            return Optional.of(
                    files.write(cameraId, at, ".jpg", file -> ImageIO.write(scaled(image), "jpg", file.toFile())));
        } catch (IOException e) {
            LOG.warnf("Thumbnail for %s not stored: %s", cameraId, e.getMessage());
            return Optional.empty();
        }
    }

    private BufferedImage scaled(BufferedImage image) {
        int height = Math.max(1, (int) Math.round((double) image.getHeight() * width / image.getWidth()));
        BufferedImage thumb = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        var g = thumb.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
        g.drawImage(image, 0, 0, width, height, null);
        g.dispose();
        return thumb;
    }
}
