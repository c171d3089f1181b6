package dev.mecgw.inference.vision;

import dev.mecgw.inference.model.Preprocessing;
import dev.mecgw.inference.onnx.FloatTensor;
import java.awt.image.BufferedImage;
import java.nio.FloatBuffer;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Turns a decoded image into the model's input tensor: resize (area averaging or bilinear when shrinking, as
 * the model's metadata says; bilinear when enlarging) or letterbox, then per-channel normalization through a
 * 256-entry lookup table, in the model's channel order and layout. One pass: each target row is resampled
 * straight from the decoded raster's bytes and written, normalized, into the tensor buffer, so no
 * intermediate image exists. Thread-safe; the per-axis resize tables are cached per (source size, target
 * size, interpolation).
 */
final class ImagePreprocessor {

    /** Frame sizes seen at once are few (one per camera model); beyond this the cache starts over. */
    private static final int MAX_PLANS = 32;

    private static final float[] ZEROS = new float[4096];

    private final Map<PlanKey, ResizePlan> plans = new ConcurrentHashMap<>();

    /** A prepared input and where the frame sits in it. */
    public record Prepared(FloatTensor tensor, Placement placement) {}

    private record PlanKey(boolean area, int w, int h, int targetW, int targetH, int pixelStride) {}

    /** Where the frame lands inside the input: drawn size and padding, in input pixels. */
    private record Geometry(int drawW, int drawH, int padX, int padY) {}

    /**
     * Prepares a fresh tensor; the vision pipeline uses {@link #write} into a reused native buffer instead.
     *
     * @param image the decoded frame
     * @param pre the model's preprocessing settings
     * @param inputName the graph input the tensor is for
     */
    public Prepared prepare(BufferedImage image, Preprocessing pre, String inputName) {
        float[] data = new float[pre.width() * pre.height() * pre.colors().channels()];
        write(image, pre, FloatBuffer.wrap(data));
        return new Prepared(new FloatTensor(inputName, shape(pre), data), placement(image, pre));
    }

    /** The input tensor's shape for these settings, batch 1. */
    public long[] shape(Preprocessing pre) {
        int channels = pre.colors().channels();
        return pre.layout() == Preprocessing.Layout.NCHW
                ? new long[] {1, channels, pre.height(), pre.width()}
                : new long[] {1, pre.height(), pre.width(), channels};
    }

    /** Where {@link #write} puts the frame, to map boxes back to frame pixels. */
    public Placement placement(BufferedImage image, Preprocessing pre) {
        Geometry g = geometry(image.getWidth(), image.getHeight(), pre);
        return new Placement(
                (double) g.drawW() / image.getWidth(),
                (double) g.drawH() / image.getHeight(),
                g.padX(),
                g.padY(),
                image.getWidth(),
                image.getHeight());
    }

    /**
     * Writes the normalized input for {@code image} into {@code target} at indices 0..{@code product(shape)}
     * (absolute puts; position and limit are left alone). Every element is written, padding included, so the
     * buffer may hold the previous frame.
     */
    public void write(BufferedImage image, Preprocessing pre, FloatBuffer target) {
        int w = image.getWidth();
        int h = image.getHeight();
        Geometry g = geometry(w, h, pre);
        int channels = pre.colors().channels();
        if (g.drawW() != pre.width() || g.drawH() != pre.height()) {
            // Padding gets the normalized mean, i.e. 0.
            zero(target, pre.width() * pre.height() * channels);
        }
        boolean area = g.drawW() <= w && g.drawH() <= h && pre.interpolation() == Preprocessing.Interpolation.AREA;
        RasterBytes source = RasterBytes.of(image);
        ResizePlan plan = plan(new PlanKey(area, w, h, g.drawW(), g.drawH(), source.pixelStride()));
        RowWriter writer = new RowWriter(pre, g.drawW(), g.padX(), source.order());
        float[][] lines = new float[3][g.drawW()];
        long[] sums = area ? new long[g.drawW() * 3] : null;
        plan.resample(source, writer.tables(), lines, sums, (ty, row) -> writer.write(row, g.padY() + ty, target));
    }

    private static Geometry geometry(int w, int h, Preprocessing pre) {
        int drawW = pre.width();
        int drawH = pre.height();
        if (pre.resize() == Preprocessing.Resize.LETTERBOX) {
            double s = Math.min((double) pre.width() / w, (double) pre.height() / h);
            drawW = Math.max(1, (int) Math.round(w * s));
            drawH = Math.max(1, (int) Math.round(h * s));
        }
        return new Geometry(drawW, drawH, (pre.width() - drawW) / 2, (pre.height() - drawH) / 2);
    }

    private ResizePlan plan(PlanKey key) {
        ResizePlan plan = plans.get(key);
        if (plan == null) {
            if (plans.size() >= MAX_PLANS) {
                plans.clear();
            }
            plan = plans.computeIfAbsent(
                    key, k -> ResizePlan.of(k.area(), k.w(), k.h(), k.targetW(), k.targetH(), k.pixelStride()));
        }
        return plan;
    }

    private static void zero(FloatBuffer target, int elements) {
        for (int i = 0; i < elements; i += ZEROS.length) {
            target.put(i, ZEROS, 0, Math.min(ZEROS.length, elements - i));
        }
    }

    /**
     * Stores resampled rows in the model's channel order and layout. For colour models the resampling pass
     * already normalizes (it maps each source sample through its channel's lookup table); for gray models it
     * passes values through, and the luma is normalized here.
     */
    private static final class RowWriter {

        /** 0..255 as floats, for gray models, whose luma needs all three samples first. */
        private static final float[] IDENTITY = new float[256];

        static {
            for (int v = 0; v < 256; v++) {
                IDENTITY[v] = v;
            }
        }

        private final float[] grayLut;
        private final float[][] tables = new float[3][];
        private final int[] component;
        private final int[] order;
        private final boolean nchw;
        private final int width;
        private final int plane;
        private final int channels;
        private final int drawW;
        private final int padX;
        private final float[] line;

        /** @param order where red, green and blue sit among a source pixel's three samples */
        RowWriter(Preprocessing pre, int drawW, int padX, int[] order) {
            this.channels = pre.colors().channels();
            this.order = order;
            this.component = switch (pre.colors()) {
                case RGB -> new int[] {order[0], order[1], order[2]};
                case BGR -> new int[] {order[2], order[1], order[0]};
                case GRAY -> new int[] {0};
            };
            if (pre.colors() == Preprocessing.Colors.GRAY) {
                grayLut = lut(pre, 0);
                java.util.Arrays.fill(tables, IDENTITY);
            } else {
                grayLut = null;
                for (int c = 0; c < 3; c++) {
                    tables[component[c]] = lut(pre, c);
                }
            }
            this.nchw = pre.layout() == Preprocessing.Layout.NCHW;
            this.width = pre.width();
            this.plane = pre.width() * pre.height();
            this.drawW = drawW;
            this.padX = padX;
            this.line = new float[nchw ? drawW : drawW * channels];
        }

        private static float[] lut(Preprocessing pre, int c) {
            float[] lut = new float[256];
            for (int v = 0; v < 256; v++) {
                lut[v] = (v * pre.scale() - pre.meanOf(c)) / pre.stdOf(c);
            }
            return lut;
        }

        /** Lookup table per source sample, for {@link ResizePlan#resample}. */
        float[][] tables() {
            return tables;
        }

        /** Stores one resampled row ({@code lines[k]} holds source sample {@code k}) as input row {@code y}. */
        void write(float[][] lines, int y, FloatBuffer target) {
            int rowStart = y * width + padX;
            if (grayLut != null) {
                float[] r = lines[order[0]];
                float[] g = lines[order[1]];
                float[] b = lines[order[2]];
                for (int x = 0; x < drawW; x++) {
                    // ITU-R BT.601 luma in fixed point: 0.299, 0.587, 0.114 scaled by 2^16.
                    line[x] = grayLut[(19595 * (int) r[x] + 38470 * (int) g[x] + 7471 * (int) b[x] + 32768) >> 16];
                }
                target.put(rowStart, line, 0, drawW);
            } else if (nchw) {
                for (int c = 0; c < channels; c++) {
                    target.put(c * plane + rowStart, lines[component[c]], 0, drawW);
                }
            } else {
                for (int x = 0, i = 0; x < drawW; x++) {
                    for (int c = 0; c < channels; c++) {
                        line[i++] = lines[component[c]][x];
                    }
                }
                target.put(rowStart * channels, line, 0, line.length);
            }
        }
    }
}
