package dev.mecgw.inference.vision;

import dev.mecgw.inference.onnx.InferenceException;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Iterator;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;

/**
 * Decodes JPEG and PNG frames with {@code javax.imageio}, within a pixel budget: the dimensions are read from the
 * image header first, and a frame above the budget is refused before any pixel is decoded, because a ~240 KB PNG
 * of 9000x9000 pixels decodes to ~243 MB of heap (issue 15). Thread-safe.
 */
public final class FrameDecoder {

    /**
     * The library's budget when the application passes none: 4096x4096 pixels (16,777,216), i.e. at most 64 MiB
     * of decoded raster per frame, well above the 4K UHD (8.3 MP) of site cameras.
     */
    public static final long DEFAULT_MAX_PIXELS = 4096L * 4096L;

    static {
        // No disk cache: frames are small, and raw frames must not land on disk.
        ImageIO.setUseCache(false);
    }

    private final long maxPixels;

    public FrameDecoder() {
        this(DEFAULT_MAX_PIXELS);
    }

    /** @param maxPixels most pixels (width times height) a frame may have */
    public FrameDecoder(long maxPixels) {
        this.maxPixels = maxPixels;
    }

    /** Width and height of a frame as its header states them. */
    public record FrameSize(int width, int height) {

        public long pixels() {
            return (long) width * height;
        }
    }

    /**
     * Reads the dimensions from the image header, without decoding pixels.
     *
     * @throws InferenceException {@code INVALID_INPUT} when the bytes are no JPEG or PNG header ImageIO can read
     */
    public static FrameSize size(byte[] bytes) {
        return read(bytes, Long.MAX_VALUE, false).size();
    }

    /**
     * @throws InferenceException {@code INVALID_INPUT} when the bytes are no image ImageIO can read, or when the
     *     header states more pixels than the budget
     */
    public BufferedImage decode(byte[] bytes) {
        return read(bytes, maxPixels, true).image();
    }

    private static Decoded read(byte[] bytes, long budget, boolean pixels) {
        try (ImageInputStream in = ImageIO.createImageInputStream(new ByteArrayInputStream(bytes))) {
            Iterator<ImageReader> readers = in == null ? null : ImageIO.getImageReaders(in);
            if (readers == null || !readers.hasNext()) {
                throw invalid("Frame is not a JPEG or PNG image (" + bytes.length + " bytes)");
            }
            ImageReader reader = readers.next();
            try {
                reader.setInput(in, true, true);
                FrameSize size = new FrameSize(reader.getWidth(0), reader.getHeight(0));
                if (size.pixels() > budget) {
                    throw invalid("Frame of " + size.width() + "x" + size.height() + " pixels exceeds the budget of "
                            + budget + " pixels");
                }
                return new Decoded(size, pixels ? reader.read(0) : null);
            } finally {
                reader.dispose();
            }
        } catch (IOException | RuntimeException e) {
            if (e instanceof InferenceException ie) {
                throw ie;
            }
            throw new InferenceException(
                    InferenceException.Reason.INVALID_INPUT, "Frame cannot be decoded: " + e.getMessage(), e);
        }
    }

    private static InferenceException invalid(String message) {
        return new InferenceException(InferenceException.Reason.INVALID_INPUT, message);
    }

    private record Decoded(FrameSize size, BufferedImage image) {}
}
