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

    /** Fraction bits of the fixed-point bilinear weights, as OpenCV's {@code INTER_RESIZE_COEF_BITS}. */
    static final int WEIGHT_BITS = 11;

    /**
     * One axis. For area averaging, target {@code t} averages source {@code [low[t], high[t])}; for bilinear,
     * it blends {@code low[t]} with weight {@code rest[t]} and {@code high[t]} with {@code weight[t]}, both in
     * units of 2<sup>-{@value #WEIGHT_BITS}</sup>.
     */
    record Axis(int[] low, int[] high, int[] weight, int[] rest) {}

    static ResizePlan of(boolean area, int w, int h, int targetW, int targetH, int pixelStride) {
        return area
                ? new ResizePlan(true, pixelStride, areaAxis(w, targetW, pixelStride), areaAxis(h, targetH, 1))
                : new ResizePlan(
                        false, pixelStride, bilinearAxis(w, targetW, pixelStride), bilinearAxis(h, targetH, 1));
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

    /**
     * Pixel-centre alignment with edge clamping and 11-bit weights, computed as OpenCV's {@code INTER_LINEAR}
     * computes them for 8-bit images (single-precision source position, each weight rounded half to even), so
     * that a frame resized here equals the one the models' reference inputs were made from (the model fixtures).
     */
    private static Axis bilinearAxis(int source, int target, int stride) {
        int[] low = new int[target];
        int[] high = new int[target];
        int[] weight = new int[target];
        int[] rest = new int[target];
        double scale = 1.0 / ((double) target / source);
        for (int t = 0; t < target; t++) {
            float f = (float) ((t + 0.5) * scale - 0.5);
            int from = (int) Math.floor(f);
            f -= from;
            if (from < 0) {
                f = 0;
                from = 0;
            }
            if (from >= source - 1) {
                f = 0;
                from = source - 1;
            }
            low[t] = from * stride;
            high[t] = Math.min(source - 1, from + 1) * stride;
            weight[t] = (int) Math.rint(f * (1 << WEIGHT_BITS));
            rest[t] = (int) Math.rint((1f - f) * (1 << WEIGHT_BITS));
        }
        return new Axis(low, high, weight, rest);
    }

    /** Receives the resampled target rows, one at a time. */
    interface Rows {

        /** Row {@code ty}: {@code lines[k][tx]} is sample {@code k} of target pixel {@code tx}, mapped. */
        void accept(int ty, float[][] lines);
    }

    /**
     * Resamples every target row and maps it through the tables in the same pass: colour sample {@code k} (in
     * the source's sample order, see {@link RasterBytes#order()}) of target pixel {@code tx}, a value in
     * 0..255, becomes {@code lines[k][tx] = tables[k][value]}; a gray source feeds its one sample to all three.
     * Each row goes to {@code rows} before the next overwrites {@code lines}. The row loop sits inside the
     * bilinear colour method rather than calling it once per row: measured, a call per row cost 0.1 ms more
     * per 320x240 frame.
     *
     * @param sums scratch space of at least {@code 3 * x.low().length} longs, for area averaging
     */
    void resample(RasterBytes src, float[][] tables, float[][] lines, long[] sums, Rows rows) {
        if (!area && src.colours() == 3) {
            bilinear(src, tables, lines, rows);
            return;
        }
        for (int ty = 0; ty < y.low.length; ty++) {
            if (area) {
                areaRow(src, ty, tables, lines, sums);
            } else {
                bilinearGrayRow(src, ty, tables, lines);
            }
            rows.accept(ty, lines);
        }
    }

    private void areaRow(RasterBytes src, int ty, float[][] tables, float[][] lines, long[] sums) {
        byte[] data = src.data();
        int ps = src.pixelStride();
        // A gray source reads its one sample three times, keeping one loop for both.
        int second = src.colours() == 3 ? 1 : 0;
        int third = src.colours() == 3 ? 2 : 0;
        int tw = x.low.length;
        java.util.Arrays.fill(sums, 0, tw * 3, 0L);
        int y0 = y.low[ty];
        int y1 = y.high[ty];
        for (int sy = y0; sy < y1; sy++) {
            int rowStart = src.offset() + sy * src.rowStride();
            for (int tx = 0, o = 0; tx < tw; tx++, o += 3) {
                int sum0 = 0;
                int sum1 = 0;
                int sum2 = 0;
                int end = rowStart + x.high[tx];
                for (int p = rowStart + x.low[tx]; p < end; p += ps) {
                    sum0 += data[p] & 0xff;
                    sum1 += data[p + second] & 0xff;
                    sum2 += data[p + third] & 0xff;
                }
                sums[o] += sum0;
                sums[o + 1] += sum1;
                sums[o + 2] += sum2;
            }
        }
        float[] table0 = tables[0];
        float[] table1 = tables[1];
        float[] table2 = tables[2];
        for (int tx = 0, o = 0; tx < tw; tx++, o += 3) {
            long n = (long) (y1 - y0) * ((x.high[tx] - x.low[tx]) / ps);
            long half = n / 2;
            lines[0][tx] = table0[(int) ((sums[o] + half) / n)];
            lines[1][tx] = table1[(int) ((sums[o + 1] + half) / n)];
            lines[2][tx] = table2[(int) ((sums[o + 2] + half) / n)];
        }
    }

    /*
     * Bilinear in OpenCV's fixed point for 8-bit images: the horizontal blend of a source row (weights summing to
     * 2^11) is cut to 15 bits, each row's share after the vertical weight is cut to 16 bits, and the sum is
     * rounded: ((wy0 * (h0 >> 4)) >> 16) + ((wy1 * (h1 >> 4)) >> 16) + 2) >> 2. This reproduces OpenCV's resize
     * bit for bit. The horizontal blends of a pixel's three samples share two multiplications: the samples sit
     * in 21-bit lanes of a long, and a blend (at most 255 * 2049 < 2^19) never carries into the next lane. With
     * 10 instead of 18 multiplications per pixel, 512x512 to 320x240 measured 0.65-0.70 instead of 0.78-0.82 ms.
     */
    private void bilinear(RasterBytes src, float[][] tables, float[][] lines, Rows rows) {
        byte[] data = src.data();
        float[] table0 = tables[0];
        float[] table1 = tables[1];
        float[] table2 = tables[2];
        float[] line0 = lines[0];
        float[] line1 = lines[1];
        float[] line2 = lines[2];
        int[] xLow = x.low;
        int[] xHigh = x.high;
        int[] xWeight = x.weight;
        int[] xRest = x.rest;
        int tw = xLow.length;
        for (int ty = 0; ty < y.low.length; ty++) {
            int top = src.offset() + y.low[ty] * src.rowStride();
            int bottom = src.offset() + y.high[ty] * src.rowStride();
            int wy = y.weight[ty];
            int ry = y.rest[ty];
            for (int tx = 0; tx < tw; tx++) {
                long rx = xRest[tx];
                long wx = xWeight[tx];
                long upper = lanes(data, top + xLow[tx]) * rx + lanes(data, top + xHigh[tx]) * wx;
                long lower = lanes(data, bottom + xLow[tx]) * rx + lanes(data, bottom + xHigh[tx]) * wx;
                line0[tx] = table0[vertical(upper, lower, 0, ry, wy)];
                line1[tx] = table1[vertical(upper, lower, 21, ry, wy)];
                line2[tx] = table2[vertical(upper, lower, 42, ry, wy)];
            }
            rows.accept(ty, lines);
        }
    }

    /** The three samples from {@code p} on, in 21-bit lanes. */
    private static long lanes(byte[] data, int p) {
        return (data[p] & 0xff) | (long) (data[p + 1] & 0xff) << 21 | (long) (data[p + 2] & 0xff) << 42;
    }

    /** The vertical blend of the horizontal blends in the lane at {@code lane}, rounded to 0..255. */
    private static int vertical(long upper, long lower, int lane, int ry, int wy) {
        int u = (int) (upper >>> (lane + 4)) & 0x7fff;
        int l = (int) (lower >>> (lane + 4)) & 0x7fff;
        return (((ry * u) >> 16) + ((wy * l) >> 16) + 2) >> 2;
    }

    private void bilinearGrayRow(RasterBytes src, int ty, float[][] tables, float[][] lines) {
        byte[] data = src.data();
        int top = src.offset() + y.low[ty] * src.rowStride();
        int bottom = src.offset() + y.high[ty] * src.rowStride();
        int wy = y.weight[ty];
        int ry = y.rest[ty];
        int tw = x.low.length;
        for (int tx = 0; tx < tw; tx++) {
            int value = blend(
                    data[top + x.low[tx]],
                    data[top + x.high[tx]],
                    data[bottom + x.low[tx]],
                    data[bottom + x.high[tx]],
                    x.rest[tx],
                    x.weight[tx],
                    ry,
                    wy);
            lines[0][tx] = tables[0][value];
            lines[1][tx] = tables[1][value];
            lines[2][tx] = tables[2][value];
        }
    }

    private static int blend(byte tl, byte tr, byte bl, byte br, int rx, int wx, int ry, int wy) {
        int upper = ((tl & 0xff) * rx + (tr & 0xff) * wx) >> 4;
        int lower = ((bl & 0xff) * rx + (br & 0xff) * wx) >> 4;
        return (((ry * upper) >> 16) + ((wy * lower) >> 16) + 2) >> 2;
    }
}
