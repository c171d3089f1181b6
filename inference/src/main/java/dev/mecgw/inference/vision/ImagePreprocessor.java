package dev.mecgw.inference.vision;

import dev.mecgw.inference.model.Preprocessing;
import dev.mecgw.inference.onnx.FloatTensor;
import java.awt.image.BufferedImage;

/**
 * Turns a decoded image into the model's input tensor: resize (area averaging or bilinear when shrinking, as
 * the model's metadata says; bilinear when enlarging) or letterbox, then
 * per-channel normalization through a 256-entry lookup table, in the model's channel order and layout.
 * Stateless and thread-safe.
 */
public final class ImagePreprocessor {

    /** A prepared input and where the frame sits in it. */
    public record Prepared(FloatTensor tensor, Placement placement) {
    }

    /**
     * @param image the decoded frame
     * @param pre the model's preprocessing settings
     * @param inputName the graph input the tensor is for
     */
    public Prepared prepare(BufferedImage image, Preprocessing pre, String inputName) {
        return prepare(image, pre, inputName, null);
    }

    /**
     * Same as {@link #prepare(BufferedImage, Preprocessing, String)}, writing into {@code reuse} when it has
     * the right size; the caller must be done with the previous tensor on that array.
     */
    public Prepared prepare(BufferedImage image, Preprocessing pre, String inputName, float[] reuse) {
        int w = image.getWidth();
        int h = image.getHeight();
        int targetW = pre.width();
        int targetH = pre.height();
        int drawW = targetW;
        int drawH = targetH;
        if (pre.resize() == Preprocessing.Resize.LETTERBOX) {
            double s = Math.min((double) targetW / w, (double) targetH / h);
            drawW = Math.max(1, (int) Math.round(w * s));
            drawH = Math.max(1, (int) Math.round(h * s));
        }
        int padX = (targetW - drawW) / 2;
        int padY = (targetH - drawH) / 2;
        int[] argb = PackedPixels.of(image);
        boolean area = drawW <= w && drawH <= h && pre.interpolation() == Preprocessing.Interpolation.AREA;
        int[] resized = area ? areaAverage(argb, w, h, drawW, drawH) : bilinear(argb, w, h, drawW, drawH);
        float[] data = fill(resized, drawW, drawH, padX, padY, pre, reuse);
        int channels = pre.colors().channels();
        long[] shape = pre.layout() == Preprocessing.Layout.NCHW
                ? new long[] {1, channels, targetH, targetW}
                : new long[] {1, targetH, targetW, channels};
        Placement placement = new Placement((double) drawW / w, (double) drawH / h, padX, padY, w, h);
        return new Prepared(new FloatTensor(inputName, shape, data), placement);
    }

    private static float[] fill(int[] rgb, int drawW, int drawH, int padX, int padY, Preprocessing pre, float[] reuse) {
        int channels = pre.colors().channels();
        int width = pre.width();
        int plane = width * pre.height();
        float[][] lut = lookupTables(pre);
        // Padding gets the normalized mean, i.e. 0, which Java's zero-filled array already holds.
        float[] data;
        if (reuse != null && reuse.length == plane * channels) {
            data = reuse;
            if (drawW != width || drawH != pre.height()) {
                java.util.Arrays.fill(data, 0f);
            }
        } else {
            data = new float[plane * channels];
        }
        int[] source = pre.colors() == Preprocessing.Colors.GRAY ? gray(rgb) : rgb;
        int[] shifts = switch (pre.colors()) {
            case RGB -> new int[] {16, 8, 0};
            case BGR -> new int[] {0, 8, 16};
            case GRAY -> new int[] {0};
        };
        boolean nchw = pre.layout() == Preprocessing.Layout.NCHW;
        // One pass per channel keeps the inner loop free of branches.
        for (int c = 0; c < channels; c++) {
            float[] table = lut[c];
            int shift = shifts[c];
            int base = nchw ? c * plane : c;
            int step = nchw ? 1 : channels;
            for (int y = 0; y < drawH; y++) {
                int in = y * drawW;
                int out = base + ((padY + y) * width + padX) * step;
                for (int x = 0; x < drawW; x++, out += step) {
                    data[out] = table[(source[in + x] >> shift) & 0xff];
                }
            }
        }
        return data;
    }

    private static int[] gray(int[] rgb) {
        int[] out = new int[rgb.length];
        for (int i = 0; i < rgb.length; i++) {
            int p = rgb[i];
            // ITU-R BT.601 luma in fixed point: 0.299, 0.587, 0.114 scaled by 2^16.
            out[i] = (19595 * ((p >> 16) & 0xff) + 38470 * ((p >> 8) & 0xff) + 7471 * (p & 0xff) + 32768) >> 16;
        }
        return out;
    }

    private static float[][] lookupTables(Preprocessing pre) {
        int channels = pre.colors().channels();
        float[][] lut = new float[channels][256];
        for (int c = 0; c < channels; c++) {
            for (int v = 0; v < 256; v++) {
                lut[c][v] = (v * pre.scale() - pre.meanOf(c)) / pre.stdOf(c);
            }
        }
        return lut;
    }

    /** Box filter over the source pixels each target pixel covers (integer bounds). */
    static int[] areaAverage(int[] src, int w, int h, int tw, int th) {
        int[] out = new int[tw * th];
        for (int ty = 0; ty < th; ty++) {
            int y0 = (int) ((long) ty * h / th);
            int y1 = Math.max(y0 + 1, (int) ((long) (ty + 1) * h / th));
            for (int tx = 0; tx < tw; tx++) {
                int x0 = (int) ((long) tx * w / tw);
                int x1 = Math.max(x0 + 1, (int) ((long) (tx + 1) * w / tw));
                long r = 0;
                long g = 0;
                long b = 0;
                for (int y = y0; y < y1; y++) {
                    int row = y * w;
                    for (int x = x0; x < x1; x++) {
                        int p = src[row + x];
                        r += (p >> 16) & 0xff;
                        g += (p >> 8) & 0xff;
                        b += p & 0xff;
                    }
                }
                long n = (long) (y1 - y0) * (x1 - x0);
                out[ty * tw + tx] = (int) ((r + n / 2) / n) << 16 | (int) ((g + n / 2) / n) << 8 | (int) ((b + n / 2) / n);
            }
        }
        return out;
    }

    /** Bilinear interpolation with pixel-center alignment (as OpenCV's INTER_LINEAR). */
    static int[] bilinear(int[] src, int w, int h, int tw, int th) {
        int[] out = new int[tw * th];
        double sx = (double) w / tw;
        double sy = (double) h / th;
        for (int ty = 0; ty < th; ty++) {
            double fy = Math.max(0, Math.min(h - 1, (ty + 0.5) * sy - 0.5));
            int y0 = (int) fy;
            int y1 = Math.min(h - 1, y0 + 1);
            double dy = fy - y0;
            for (int tx = 0; tx < tw; tx++) {
                double fx = Math.max(0, Math.min(w - 1, (tx + 0.5) * sx - 0.5));
                int x0 = (int) fx;
                int x1 = Math.min(w - 1, x0 + 1);
                double dx = fx - x0;
                int value = 0;
                for (int shift = 16; shift >= 0; shift -= 8) {
                    double top = ((src[y0 * w + x0] >> shift) & 0xff) * (1 - dx) + ((src[y0 * w + x1] >> shift) & 0xff) * dx;
                    double bottom = ((src[y1 * w + x0] >> shift) & 0xff) * (1 - dx) + ((src[y1 * w + x1] >> shift) & 0xff) * dx;
                    value |= ((int) Math.round(top * (1 - dy) + bottom * dy)) << shift;
                }
                out[ty * tw + tx] = value;
            }
        }
        return out;
    }
}
