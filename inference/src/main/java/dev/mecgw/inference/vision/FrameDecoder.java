package dev.mecgw.inference.vision;

import dev.mecgw.inference.onnx.InferenceException;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import javax.imageio.ImageIO;

/** Decodes JPEG and PNG frames with {@code javax.imageio}. Thread-safe. */
public final class FrameDecoder {

    static {
        // No disk cache: frames are small, and raw frames must not land on disk.
        ImageIO.setUseCache(false);
    }

    /**
     * @throws InferenceException {@code INVALID_INPUT} when the bytes are no image ImageIO can read
     */
    public BufferedImage decode(byte[] bytes) {
        try {
            BufferedImage image = ImageIO.read(new ByteArrayInputStream(bytes));
            if (image == null) {
                throw new InferenceException(
                        InferenceException.Reason.INVALID_INPUT,
                        "Frame is not a JPEG or PNG image (" + bytes.length + " bytes)");
            }
            return image;
        } catch (IOException | RuntimeException e) {
            if (e instanceof InferenceException ie) {
                throw ie;
            }
            throw new InferenceException(
                    InferenceException.Reason.INVALID_INPUT, "Frame cannot be decoded: " + e.getMessage(), e);
        }
    }
}
