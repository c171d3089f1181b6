package dev.mecgw.inference.vision;

/**
 * Which source pixels, with which weights, make up each target pixel, per axis: computed once per
 * (source size, target size, interpolation, pixel stride) so that the per-frame loop only reads tables.
 * Immutable.
 *
 * @param area area averaging (source ranges) rather than bilinear (two neighbours and a weight)
 * @param pixelStride source samples per pixel; the horizontal table holds sample offsets, i.e. pixel
 *        indices times this
 * @param x horizontal table, in samples
 * @param y vertical table, in pixels
 */
record ResizePlan(boolean area, int pixelStride, Axis x, Axis y) {

    /**
     * One axis. For area averaging, target {@code t} averages source {@code [low[t], high[t])}; for bilinear,
     * it blends {@code low[t]} with weight {@code 1 - weight[t]} (kept in {@code rest[t]}) and {@code high[t]}
     * with {@code weight[t]}.
     */
    record Axis(int[] low, int[] high, double[] weight, double[] rest) {
    }

    static ResizePlan of(boolean area, int w, int h, int targetW, int targetH, int pixelStride) {
        return area ? new ResizePlan(true, pixelStride, areaAxis(w, targetW, pixelStride), areaAxis(h, targetH, 1))
                : new ResizePlan(false, pixelStride, bilinearAxis(w, targetW, pixelStride), bilinearAxis(h, targetH, 1));
    }

    /** Box filter with integer bounds: each target pixel averages the source pixels it covers. */
    private static Axis areaAxis(int source, int target, int stride) {
        int[] low = new int[target];
        int[] high = new int[target];
        for (int t = 0; t < target; t++) {
            int from = (int) ((long) t * source / target);
            low[t] = from * stride;
            high[t] = Math.max(from + 1, (int) ((long) (t + 1) * source / target)) * stride;
        }
        return new Axis(low, high, null, null);
    }

    /** Pixel-centre alignment with edge clamping, as OpenCV's {@code INTER_LINEAR}. */
    private static Axis bilinearAxis(int source, int target, int stride) {
        int[] low = new int[target];
        int[] high = new int[target];
        double[] weight = new double[target];
        double[] rest = new double[target];
        double scale = (double) source / target;
        for (int t = 0; t < target; t++) {
            double f = Math.max(0, Math.min(source - 1, (t + 0.5) * scale - 0.5));
            int from = (int) f;
            low[t] = from * stride;
            high[t] = Math.min(source - 1, from + 1) * stride;
            weight[t] = f - from;
            rest[t] = 1 - weight[t];
        }
        return new Axis(low, high, weight, rest);
    }

    /**
     * Resamples target row {@code ty} into {@code rgb} (red, green, blue per target pixel, 0..255).
     *
     * @param sums scratch space of at least {@code 3 * x.low().length} longs, for area averaging
     */
    void row(RasterBytes src, int ty, int[] rgb, long[] sums) {
        if (area) {
            areaRow(src, ty, rgb, sums);
        } else {
            bilinearRow(src, ty, rgb);
        }
    }

    private void areaRow(RasterBytes src, int ty, int[] rgb, long[] sums) {
        byte[] data = src.data();
        int ps = src.pixelStride();
        int r = src.channel()[0];
        int g = src.channel()[1];
        int b = src.channel()[2];
        int tw = x.low.length;
        java.util.Arrays.fill(sums, 0, tw * 3, 0L);
        int y0 = y.low[ty];
        int y1 = y.high[ty];
        for (int sy = y0; sy < y1; sy++) {
            int rowStart = src.offset() + sy * src.rowStride();
            for (int tx = 0, o = 0; tx < tw; tx++, o += 3) {
                int sumR = 0;
                int sumG = 0;
                int sumB = 0;
                int end = rowStart + x.high[tx];
                for (int p = rowStart + x.low[tx]; p < end; p += ps) {
                    sumR += data[p + r] & 0xff;
                    sumG += data[p + g] & 0xff;
                    sumB += data[p + b] & 0xff;
                }
                sums[o] += sumR;
                sums[o + 1] += sumG;
                sums[o + 2] += sumB;
            }
        }
        for (int tx = 0, o = 0; tx < tw; tx++, o += 3) {
            long n = (long) (y1 - y0) * ((x.high[tx] - x.low[tx]) / ps);
            rgb[o] = (int) ((sums[o] + n / 2) / n);
            rgb[o + 1] = (int) ((sums[o + 1] + n / 2) / n);
            rgb[o + 2] = (int) ((sums[o + 2] + n / 2) / n);
        }
    }

    private void bilinearRow(RasterBytes src, int ty, int[] rgb) {
        byte[] data = src.data();
        int r = src.channel()[0];
        int g = src.channel()[1];
        int b = src.channel()[2];
        int top = src.offset() + y.low[ty] * src.rowStride();
        int bottom = src.offset() + y.high[ty] * src.rowStride();
        double wy = y.weight[ty];
        double ry = y.rest[ty];
        int tw = x.low.length;
        for (int tx = 0, o = 0; tx < tw; tx++, o += 3) {
            int tl = top + x.low[tx];
            int tr = top + x.high[tx];
            int bl = bottom + x.low[tx];
            int br = bottom + x.high[tx];
            double wx = x.weight[tx];
            double rx = x.rest[tx];
            rgb[o] = blend(data[tl + r], data[tr + r], data[bl + r], data[br + r], rx, wx, ry, wy);
            rgb[o + 1] = blend(data[tl + g], data[tr + g], data[bl + g], data[br + g], rx, wx, ry, wy);
            rgb[o + 2] = blend(data[tl + b], data[tr + b], data[bl + b], data[br + b], rx, wx, ry, wy);
        }
    }

    private static int blend(byte tl, byte tr, byte bl, byte br, double rx, double wx, double ry, double wy) {
        double upper = (tl & 0xff) * rx + (tr & 0xff) * wx;
        double lower = (bl & 0xff) * rx + (br & 0xff) * wx;
        // Non-negative, so adding one half and truncating rounds half up as Math.round does, minus its checks.
        return (int) (upper * ry + lower * wy + 0.5);
    }
}
