package dev.mecgw.inference.vision;

/**
 * Where the original frame sits inside the model input after resize or letterbox, to map boxes back.
 *
 * @param scaleX input pixels per frame pixel, horizontally
 * @param scaleY input pixels per frame pixel, vertically
 * @param padX left padding in input pixels
 * @param padY top padding in input pixels
 * @param frameWidth original width
 * @param frameHeight original height
 */
record Placement(double scaleX, double scaleY, double padX, double padY, int frameWidth, int frameHeight) {

    /** Maps a box in input pixels to frame pixels, clamped to the frame. */
    public BoundingBox toFrame(double x1, double y1, double x2, double y2) {
        return new BoundingBox(
                clamp((x1 - padX) / scaleX, frameWidth),
                clamp((y1 - padY) / scaleY, frameHeight),
                clamp((x2 - padX) / scaleX, frameWidth),
                clamp((y2 - padY) / scaleY, frameHeight));
    }

    private static double clamp(double value, int limit) {
        return Math.max(0, Math.min(limit, value));
    }
}
