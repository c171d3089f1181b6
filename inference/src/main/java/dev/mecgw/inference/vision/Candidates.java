package dev.mecgw.inference.vision;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Detection candidates above the score threshold, kept in primitive arrays through sorting and hard
 * non-maximum suppression; only the kept boxes become {@link Detection}s. Not thread-safe; one per frame.
 */
final class Candidates {

    private float[] scores = new float[16];
    private int[] classes = new int[16];
    private BoundingBox[] boxes = new BoundingBox[16];
    private int count;

    /** Adds a candidate; among equal scores, earlier candidates rank first. */
    void add(float score, int label, BoundingBox box) {
        if (count == scores.length) {
            scores = Arrays.copyOf(scores, count * 2);
            classes = Arrays.copyOf(classes, count * 2);
            boxes = Arrays.copyOf(boxes, count * 2);
        }
        scores[count] = score;
        classes[count] = label;
        boxes[count] = box;
        count++;
    }

    /**
     * Best first, drops every candidate overlapping a kept one of the same class by more than {@code iou}.
     *
     * @param labels class names by index; the index as text beyond them
     */
    List<Detection> suppress(double iou, List<String> labels) {
        long[] order = new long[count];
        for (int i = 0; i < count; i++) {
            // Non-negative floats order like their bits; the complemented index keeps ties in insertion order.
            order[i] = (long) Float.floatToIntBits(Math.max(0f, scores[i])) << 32 | (Integer.MAX_VALUE - i);
        }
        Arrays.sort(order);
        int[] kept = new int[count];
        int keptCount = 0;
        List<Detection> detections = new ArrayList<>();
        for (int j = count - 1; j >= 0; j--) {
            int i = Integer.MAX_VALUE - (int) order[j];
            if (!overlapsKept(i, kept, keptCount, iou)) {
                kept[keptCount++] = i;
                int c = classes[i];
                detections.add(
                        new Detection(c < labels.size() ? labels.get(c) : Integer.toString(c), scores[i], boxes[i]));
            }
        }
        return detections;
    }

    private boolean overlapsKept(int i, int[] kept, int keptCount, double iou) {
        for (int k = 0; k < keptCount; k++) {
            if (classes[kept[k]] == classes[i] && boxes[kept[k]].iou(boxes[i]) > iou) {
                return true;
            }
        }
        return false;
    }
}
