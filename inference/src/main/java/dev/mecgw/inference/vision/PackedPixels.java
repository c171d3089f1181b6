package dev.mecgw.inference.vision;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.awt.image.DataBufferInt;

/**
 * Reads an image's pixels as packed {@code 0xRRGGBB} ints straight from the raster for the types ImageIO
 * produces for JPEG and PNG; {@link BufferedImage#getRGB} goes through the colour model per pixel and costs
 * more than a small model's run.
 */
final class PackedPixels {

    private PackedPixels() {
    }

    static int[] of(BufferedImage image) {
        int w = image.getWidth();
        int h = image.getHeight();
        int n = w * h;
        boolean whole = image.getRaster().getParent() == null && image.getRaster().getMinX() == 0
                && image.getRaster().getMinY() == 0;
        if (!whole) {
            return image.getRGB(0, 0, w, h, null, 0, w);
        }
        switch (image.getType()) {
            case BufferedImage.TYPE_3BYTE_BGR -> {
                return interleaved(bytes(image), n, 3, 2, 1, 0);
            }
            case BufferedImage.TYPE_4BYTE_ABGR, BufferedImage.TYPE_4BYTE_ABGR_PRE -> {
                return interleaved(bytes(image), n, 4, 3, 2, 1);
            }
            case BufferedImage.TYPE_BYTE_GRAY -> {
                byte[] src = bytes(image);
                if (src.length != n) {
                    return image.getRGB(0, 0, w, h, null, 0, w);
                }
                int[] out = new int[n];
                for (int i = 0; i < n; i++) {
                    int v = src[i] & 0xff;
                    out[i] = v << 16 | v << 8 | v;
                }
                return out;
            }
            case BufferedImage.TYPE_INT_RGB, BufferedImage.TYPE_INT_ARGB -> {
                int[] src = ((DataBufferInt) image.getRaster().getDataBuffer()).getData();
                if (src.length != n) {
                    return image.getRGB(0, 0, w, h, null, 0, w);
                }
                int[] out = new int[n];
                for (int i = 0; i < n; i++) {
                    out[i] = src[i] & 0xffffff;
                }
                return out;
            }
            default -> {
                return image.getRGB(0, 0, w, h, null, 0, w);
            }
        }
    }

    private static byte[] bytes(BufferedImage image) {
        return ((DataBufferByte) image.getRaster().getDataBuffer()).getData();
    }

    private static int[] interleaved(byte[] src, int n, int stride, int r, int g, int b) {
        if (src.length != n * stride) {
            throw new IllegalStateException("Unexpected raster layout");
        }
        int[] out = new int[n];
        for (int i = 0, o = 0; i < n; i++, o += stride) {
            out[i] = (src[o + r] & 0xff) << 16 | (src[o + g] & 0xff) << 8 | (src[o + b] & 0xff);
        }
        return out;
    }
}
