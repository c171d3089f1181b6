package dev.mecgw.devices.camera;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.List;
import javax.imageio.ImageIO;

/**
 * Draws one camera frame as JPEG: a photo from the given list panned slowly across the frame when there is one
 * (e.g. the shared sample images with a face), otherwise a synthetic scene of a hall with two walking figures;
 * both carry a time stamp as a real camera's overlay does. Not thread-safe.
 */
final class SceneRenderer {

    private final int width;
    private final int height;
    private final List<BufferedImage> photos;
    private long frame;

    SceneRenderer(int width, int height, List<BufferedImage> photos) {
        this.width = width;
        this.height = height;
        this.photos = List.copyOf(photos);
    }

    /** @return the next frame as JPEG bytes */
    byte[] next(Instant now) {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            if (photos.isEmpty()) {
                drawHall(g);
            } else {
                drawPhoto(g, photos.get((int) (frame / 50 % photos.size())));
            }
            g.setColor(Color.WHITE);
            g.setFont(new Font(Font.MONOSPACED, Font.BOLD, 14));
            g.drawString("CAM " + now, 8, height - 10);
        } finally {
            g.dispose();
        }
        frame++;
        return jpeg(image);
    }

    private void drawPhoto(Graphics2D g, BufferedImage photo) {
        g.setColor(Color.DARK_GRAY);
        g.fillRect(0, 0, width, height);
        // Fit the photo's height and pan it left and right, so that consecutive frames differ.
        double scale = (double) height / photo.getHeight();
        int w = (int) (photo.getWidth() * scale);
        int travel = Math.max(0, width - w);
        int x = travel == 0 ? (width - w) / 2 : (int) (travel * (0.5 + 0.5 * Math.sin(frame / 20.0)));
        g.drawImage(photo, x, 0, w, height, null);
    }

    private void drawHall(Graphics2D g) {
        g.setColor(new Color(70, 74, 80));
        g.fillRect(0, 0, width, height);
        g.setColor(new Color(110, 110, 100));
        g.fillRect(0, height * 2 / 3, width, height / 3);
        g.setColor(new Color(150, 120, 60));
        g.setStroke(new BasicStroke(3));
        for (int x = 0; x < width; x += 80) {
            g.drawLine(x, height * 2 / 3, x + 40, height);
        }
        person(g, (int) ((frame * 4) % (width + 80)) - 40, height * 2 / 3 - 90, new Color(40, 90, 160));
        person(g, width - (int) ((frame * 3) % (width + 80)), height * 2 / 3 - 70, new Color(160, 60, 40));
    }

    private static void person(Graphics2D g, int x, int y, Color shirt) {
        g.setColor(new Color(230, 190, 160));
        g.fillOval(x - 14, y - 30, 28, 30);
        g.setColor(shirt);
        g.fillRoundRect(x - 20, y, 40, 70, 12, 12);
        g.setColor(Color.BLACK);
        g.fillRect(x - 16, y + 70, 12, 50);
        g.fillRect(x + 4, y + 70, 12, 50);
    }

    private static byte[] jpeg(BufferedImage image) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(64 * 1024);
        try {
            ImageIO.write(image, "jpg", out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
