package dev.mecgw.inference.vision;

import java.awt.image.BufferedImage;
import java.awt.image.ComponentSampleModel;
import java.awt.image.DataBufferByte;
import java.awt.image.WritableRaster;

/**
 * An image's 8-bit samples as they lie in its raster: sample {@code k} of pixel (x, y) is
 * {@code data[offset + y * rowStride + x * pixelStride + channel[k]]} with k = 0, 1, 2 for red, green, blue.
 * Read in place for the byte layouts ImageIO decodes JPEG and PNG into, because
 * {@link BufferedImage#getRGB} goes through the colour model per pixel and costs more than a small model's
 * run; any other layout is converted once through {@code getRGB}.
 *
 * @param data the samples, shared with the image (never written)
 * @param offset index of pixel (0, 0)
 * @param pixelStride samples per pixel
 * @param rowStride samples per row
 * @param channel offsets of red, green and blue within a pixel (all equal for gray)
 */
record RasterBytes(byte[] data, int offset, int pixelStride, int rowStride, int[] channel) {

    static RasterBytes of(BufferedImage image) {
        WritableRaster raster = image.getRaster();
        int type = image.getType();
        boolean byteLayout = type == BufferedImage.TYPE_3BYTE_BGR || type == BufferedImage.TYPE_4BYTE_ABGR
                || type == BufferedImage.TYPE_4BYTE_ABGR_PRE || type == BufferedImage.TYPE_BYTE_GRAY;
        if (byteLayout && raster.getDataBuffer() instanceof DataBufferByte buffer && buffer.getNumBanks() == 1
                && raster.getSampleModel() instanceof ComponentSampleModel model) {
            int[] bands = model.getBandOffsets();
            int[] channel = bands.length >= 3 ? new int[] {bands[0], bands[1], bands[2]}
                    : new int[] {bands[0], bands[0], bands[0]};
            // A sub-image shares its parent's buffer, shifted by the sample model translation.
            int offset = buffer.getOffset() - raster.getSampleModelTranslateY() * model.getScanlineStride()
                    - raster.getSampleModelTranslateX() * model.getPixelStride();
            return new RasterBytes(buffer.getData(), offset, model.getPixelStride(), model.getScanlineStride(), channel);
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
        return new RasterBytes(rgb, 0, 3, w * 3, new int[] {0, 1, 2});
    }
}
