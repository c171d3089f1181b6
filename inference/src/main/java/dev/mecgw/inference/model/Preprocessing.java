package dev.mecgw.inference.model;

/**
 * How a vision model wants its input image. A pixel channel value {@code p} in 0..255 becomes
 * {@code (p * scale - mean[c]) / std[c]}.
 *
 * @param width input width in pixels
 * @param height input height in pixels
 * @param colors channel order: {@code RGB}, {@code BGR} or {@code GRAY}
 * @param layout tensor layout: {@code NCHW} or {@code NHWC}
 * @param resize {@code STRETCH} to the input size, or {@code LETTERBOX} (keep aspect ratio, pad with mean gray)
 * @param scale factor applied to 0..255 values before mean and std, e.g. 1/255
 * @param mean per-channel mean subtracted after scaling (one value, or one per channel)
 * @param std per-channel divisor (one value, or one per channel)
 * @param interpolation {@code AREA} (antialiased, the default when absent) or {@code BILINEAR} (OpenCV's
 *        default {@code INTER_LINEAR}, cheaper, what e.g. UltraFace was trained with)
 */
public record Preprocessing(
        int width,
        int height,
        Colors colors,
        Layout layout,
        Resize resize,
        float scale,
        float[] mean,
        float[] std,
        Interpolation interpolation) {

    public Preprocessing {
        interpolation = interpolation == null ? Interpolation.AREA : interpolation;
    }

    /** Area-averaging interpolation. */
    public Preprocessing(
            int width,
            int height,
            Colors colors,
            Layout layout,
            Resize resize,
            float scale,
            float[] mean,
            float[] std) {
        this(width, height, colors, layout, resize, scale, mean, std, Interpolation.AREA);
    }

    /** How pixels are resampled when shrinking; enlarging is always bilinear. */
    public enum Interpolation {
        AREA,
        BILINEAR
    }

    /** Channel order. */
    public enum Colors {
        RGB,
        BGR,
        GRAY;

        public int channels() {
            return this == GRAY ? 1 : 3;
        }
    }

    /** Tensor layout. */
    public enum Layout {
        NCHW,
        NHWC
    }

    /** Resize mode. */
    public enum Resize {
        STRETCH,
        LETTERBOX
    }

    /** Mean of channel {@code c}. */
    public float meanOf(int c) {
        return mean.length == 1 ? mean[0] : mean[c];
    }

    /** Std of channel {@code c}. */
    public float stdOf(int c) {
        return std.length == 1 ? std[0] : std[c];
    }

    /** Client-safe reasons why these settings are unusable; empty when valid. */
    public java.util.List<String> problems() {
        java.util.List<String> problems = new java.util.ArrayList<>();
        if (width < 1 || height < 1 || width > 4096 || height > 4096) {
            problems.add("preprocessing.width/height must be 1..4096");
        }
        if (colors == null || layout == null || resize == null) {
            problems.add("preprocessing.colors, layout and resize are required");
        } else {
            int channels = colors.channels();
            if (mean == null
                    || std == null
                    || (mean.length != 1 && mean.length != channels)
                    || (std.length != 1 && std.length != channels)) {
                problems.add("preprocessing.mean and std need 1 or " + channels + " values");
            } else {
                for (float s : std) {
                    if (s == 0f) {
                        problems.add("preprocessing.std must not contain 0");
                        break;
                    }
                }
            }
        }
        if (!(scale > 0)) {
            problems.add("preprocessing.scale must be positive");
        }
        return problems;
    }
}
