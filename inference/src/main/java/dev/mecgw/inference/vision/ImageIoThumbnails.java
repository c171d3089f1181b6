package dev.mecgw.inference.vision;

import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.Optional;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.jboss.logging.Logger;

/**
 * JPEG thumbnails in {@code <root>/<camera>/<epoch-millis>.jpg}, at most {@code keepPerCamera} per camera
 * (the oldest go first), so the folder cannot fill the disk.
 */
public final class ImageIoThumbnails implements Thumbnails {

    private static final Logger LOG = Logger.getLogger(ImageIoThumbnails.class);

    private final Path root;
    private final int width;
    private final int keepPerCamera;

    /**
     * @param root thumbnails folder
     * @param width thumbnail width in pixels; the height keeps the aspect ratio
     * @param keepPerCamera how many thumbnails to keep per camera, at least 1
     */
    public ImageIoThumbnails(Path root, int width, int keepPerCamera) {
        this.root = root;
        this.width = width;
        this.keepPerCamera = keepPerCamera;
    }

    @Override
    public Optional<String> store(String cameraId, Instant at, BufferedImage image) {
        // Camera ids come from devices: keep them to a safe file-name alphabet.
        String camera = cameraId.replaceAll("[^A-Za-z0-9._-]", "_");
        Path dir = root.resolve(camera);
        Path file = dir.resolve(at.toEpochMilli() + ".jpg");
        try {
            Files.createDirectories(dir);
            Path tmp = Files.createTempFile(dir, ".thumb", ".tmp");
            try {
                ImageIO.write(scaled(image), "jpg", tmp.toFile());
                Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } finally {
                Files.deleteIfExists(tmp);
            }
            prune(dir);
            return Optional.of(camera + "/" + file.getFileName());
        } catch (IOException e) {
            LOG.warnf("Thumbnail for %s not stored: %s", camera, e.getMessage());
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

    private void prune(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            var thumbs = files.filter(p -> p.getFileName().toString().endsWith(".jpg"))
                    .sorted((a, b) -> Long.compare(millis(a), millis(b))).toList();
            for (int i = 0; i < thumbs.size() - keepPerCamera; i++) {
                Files.deleteIfExists(thumbs.get(i));
            }
        }
    }

    private static long millis(Path file) {
        String name = file.getFileName().toString();
        try {
            return Long.parseLong(name.substring(0, name.length() - 4));
        } catch (NumberFormatException e) {
            return Long.MIN_VALUE;
        }
    }
}
