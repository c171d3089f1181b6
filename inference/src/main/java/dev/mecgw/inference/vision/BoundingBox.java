package dev.mecgw.inference.vision;

/**
 * An axis-aligned box in corner form.
 *
 * @param x1 left
 * @param y1 top
 * @param x2 right
 * @param y2 bottom
 */
record BoundingBox(double x1, double y1, double x2, double y2) {

    public double area() {
        return Math.max(0, x2 - x1) * Math.max(0, y2 - y1);
    }

    /** Intersection over union with another box, 0 when disjoint. */
    public double iou(BoundingBox other) {
        double w = Math.min(x2, other.x2) - Math.max(x1, other.x1);
        double h = Math.min(y2, other.y2) - Math.max(y1, other.y1);
        if (w <= 0 || h <= 0) {
            return 0;
        }
        double intersection = w * h;
        return intersection / (area() + other.area() - intersection);
    }
}
