package dev.mecgw.inference.vision;

import java.awt.image.BufferedImage;
import java.awt.image.ComponentSampleModel;
import java.awt.image.DataBufferByte;
import java.awt.image.WritableRaster;

/**
 * An image's 8-bit colour samples as they lie in its raster: pixel (x, y) starts at
 * {@code data[offset + y * rowStride + x * pixelStride]} with {@code colours} consecutive samples (3, or 1 for
 * gray), whose order is given by {@code order}: red is sample {@code order[0]}, green {@code order[1]}, blue
 * {@code order[2]}. Read in place for the byte layouts ImageIO decodes JPEG and PNG into, because
 * {@link BufferedImage#getRGB} goes through the colour model per pixel and costs more than a small model's
 * run; any other layout is converted once through {@code getRGB}.
 *
 * @param data the samples, shared with the image (never written)
 * @param offset index of the first colour sample of pixel (0, 0) (past a leading alpha sample)
 * @param pixelStride samples per pixel
 * @param rowStride samples per row
 * @param colours consecutive colour samples per pixel: 3, or 1 for gray
 * @param order positions of red, green and blue among the three values resampling makes of a pixel's samples
 *        (a gray sample is repeated, so {@code 0, 1, 2} for gray)
 */
record RasterBytes(byte[] data, int offset, int pixelStride, int rowStride, int colours, int[] order) {

    static RasterBytes of(BufferedImage image) {
        WritableRaster raster = image.getRaster();
        int type = image.getType();
        boolean byteLayout = type == BufferedImage.TYPE_3BYTE_BGR
                || type == BufferedImage.TYPE_4BYTE_ABGR
                || type == BufferedImage.TYPE_4BYTE_ABGR_PRE
                || type == BufferedImage.TYPE_BYTE_GRAY;
        if (byteLayout
                && raster.getDataBuffer() instanceof DataBufferByte buffer
                && buffer.getNumBanks() == 1
                && raster.getSampleModel() instanceof ComponentSampleModel model) {
            int[] bands = model.getBandOffsets();
            int colours = type == BufferedImage.TYPE_BYTE_GRAY ? 1 : 3;
            int first = Math.min(bands[0], Math.min(bands[colours - 1], bands[colours / 2]));
            // A sub-image shares its parent's buffer, shifted by the sample model translation.
            int offset = buffer.getOffset()
                    - raster.getSampleModelTranslateY() * model.getScanlineStride()
                    - raster.getSampleModelTranslateX() * model.getPixelStride()
                    + first;
            // Resampling writes a gray sample into all three slots, so red, green and blue each have their own.
            int[] order = colours == 1
                    ? new int[] {0, 1, 2}
                    : new int[] {bands[0] - first, bands[1] - first, bands[2] - first};
            return new RasterBytes(
                    buffer.getData(), offset, model.getPixelStride(), model.getScanlineStride(), colours, order);
        }
        return converted(image);
    }

    private static RasterBytes converted(BufferedImage image) {
        int w = image.getWidth();
        int h = image.getHeight();
        int[] argb = image.getRGB(0, 0, w, h, null, 0, w);
        byte[] rgb = new byte[argb.length * 3];
        for (int i = 0, o = 0; i < argb.length; i++, o += 3) {
            int p = argb[i];
            rgb[o] = (byte) (p >> 16);
            rgb[o + 1] = (byte) (p >> 8);
            rgb[o + 2] = (byte) p;
        }
        return new RasterBytes(rgb, 0, 3, w * 3, 3, new int[] {0, 1, 2});
    }
}
