package dev.mecgw.inference.vision;

import dev.mecgw.inference.model.ModelMetadata;
import dev.mecgw.inference.onnx.FloatTensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Postprocessing of the vision heads: classification top-k, and UltraFace-style threshold plus hard NMS. */
final class VisionHeads {

    private VisionHeads() {
    }

    /**
     * Top-k classes. Outputs that are not already a probability distribution (logits) go through softmax.
     *
     * @param k how many classes, at most the number of outputs
     */
    static List<ClassScore> topK(float[] scores, List<String> labels, int k) {
        double[] p = probabilities(scores);
        int n = Math.min(k, p.length);
        // Selection over the primitive scores: only the k results become objects. Ties keep index order.
        boolean[] taken = new boolean[p.length];
        List<ClassScore> top = new ArrayList<>(n);
        for (int rank = 0; rank < n; rank++) {
            int best = -1;
            for (int i = 0; i < p.length; i++) {
                if (!taken[i] && (best < 0 || p[i] > p[best])) {
                    best = i;
                }
            }
            taken[best] = true;
            top.add(new ClassScore(best, best < labels.size() ? labels.get(best) : Integer.toString(best), p[best]));
        }
        return List.copyOf(top);
    }

    private static double[] probabilities(float[] scores) {
        double sum = 0;
        boolean inRange = true;
        for (float s : scores) {
            sum += s;
            inRange &= s >= 0 && s <= 1;
        }
        double[] p = new double[scores.length];
        if (inRange && Math.abs(sum - 1) < 1e-3) {
            for (int i = 0; i < p.length; i++) {
                p[i] = scores[i];
            }
            return p;
        }
        double max = Double.NEGATIVE_INFINITY;
        for (float s : scores) {
            max = Math.max(max, s);
        }
        double total = 0;
        for (int i = 0; i < p.length; i++) {
            p[i] = Math.exp(scores[i] - max);
            total += p[i];
        }
        for (int i = 0; i < p.length; i++) {
            p[i] /= total;
        }
        return p;
    }

    /**
     * Decodes UltraFace/SSD-style outputs: {@code scores [1,N,C]} (softmax, class 0 background) and corner-form
     * {@code boxes [1,N,4]} normalized to the input size. Candidates stay in primitive arrays through the
     * threshold, sort and suppression; only the kept boxes become objects.
     */
    static List<Detection> ultraFace(FloatTensor scores, FloatTensor boxes, ModelMetadata model, Placement placement) {
        double threshold = model.threshold("score", 0.7);
        double iou = model.threshold("iou", 0.3);
        int classes = (int) scores.shape()[2];
        int n = (int) scores.shape()[1];
        float[] s = scores.data();
        long[] order = new long[16];
        int count = 0;
        for (int i = 0; i < n; i++) {
            for (int c = 1; c < classes; c++) {
                float score = s[i * classes + c];
                if (score > threshold) {
                    if (count == order.length) {
                        order = Arrays.copyOf(order, count * 2);
                    }
                    // Positive floats order like their bits; the complemented index keeps ties in output order.
                    order[count++] = (long) Float.floatToIntBits(score) << 32 | (Integer.MAX_VALUE - (i * classes + c));
                }
            }
        }
        Arrays.sort(order, 0, count);
        int[] candidates = new int[count];
        for (int j = 0; j < count; j++) {
            candidates[j] = Integer.MAX_VALUE - (int) order[count - 1 - j];
        }
        return suppress(candidates, s, boxes.data(), classes, model, placement, iou);
    }

    /** Hard NMS over candidates (output indices {@code i * classes + c}, best first), per class. */
    private static List<Detection> suppress(int[] candidates, float[] s, float[] b, int classes, ModelMetadata model,
            Placement placement, double iou) {
        int inputW = model.preprocessing().width();
        int inputH = model.preprocessing().height();
        int[] keptClass = new int[candidates.length];
        List<Detection> detections = new ArrayList<>();
        for (int candidate : candidates) {
            int i = candidate / classes;
            int c = candidate % classes;
            BoundingBox box = placement.toFrame(b[i * 4] * inputW, b[i * 4 + 1] * inputH, b[i * 4 + 2] * inputW,
                    b[i * 4 + 3] * inputH);
            if (!overlapsKept(box, c, detections, keptClass, iou)) {
                keptClass[detections.size()] = c;
                String label = c < model.labels().size() ? model.labels().get(c) : Integer.toString(c);
                detections.add(new Detection(label, s[candidate], box));
            }
        }
        return detections;
    }

    private static boolean overlapsKept(BoundingBox box, int c, List<Detection> kept, int[] keptClass, double iou) {
        for (int k = 0; k < kept.size(); k++) {
            if (keptClass[k] == c && kept.get(k).box().iou(box) > iou) {
                return true;
            }
        }
        return false;
    }
}
