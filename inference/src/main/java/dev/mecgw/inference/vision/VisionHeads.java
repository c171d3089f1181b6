package dev.mecgw.inference.vision;

import dev.mecgw.inference.model.ModelMetadata;
import dev.mecgw.inference.onnx.FloatTensor;
import dev.mecgw.inference.onnx.InferenceException;
import java.util.ArrayList;
import java.util.List;

/** Postprocessing of the vision heads: classification top-k, and UltraFace-style threshold plus hard NMS. */
final class VisionHeads {

    private VisionHeads() {}

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
     * {@code boxes [1,N,4]} normalized to the input size.
     */
    static List<Detection> ultraFace(FloatTensor scores, FloatTensor boxes, ModelMetadata model, Placement placement) {
        double threshold = model.threshold("score", 0.7);
        int classes = (int) scores.shape()[2];
        int n = (int) scores.shape()[1];
        int inputW = model.preprocessing().width();
        int inputH = model.preprocessing().height();
        float[] s = scores.data();
        float[] b = boxes.data();
        Candidates candidates = new Candidates();
        for (int i = 0; i < n; i++) {
            for (int c = 1; c < classes; c++) {
                float score = s[i * classes + c];
                if (score > threshold) {
                    candidates.add(
                            score,
                            c,
                            placement.toFrame(
                                    b[i * 4] * inputW,
                                    b[i * 4 + 1] * inputH,
                                    b[i * 4 + 2] * inputW,
                                    b[i * 4 + 3] * inputH));
                }
            }
        }
        return candidates.suppress(model.threshold("iou", 0.3), model.labels());
    }

    /**
     * Decodes a YOLO detection output with centre-form boxes {@code cx, cy, w, h} in input pixels, the best
     * class per anchor: YOLOv5-style rows {@code [1, N, 5 + C]} (objectness, then class scores; score =
     * objectness × class score) or, with {@code columns}, YOLOv8-style {@code [1, 4 + C, N]} (class scores,
     * no objectness).
     */
    static List<Detection> yolo(FloatTensor output, ModelMetadata model, Placement placement, boolean columns) {
        double threshold = model.threshold("score", 0.25);
        long[] shape = output.shape();
        if (shape.length != 3 || (columns ? shape[1] : shape[2]) < (columns ? 5 : 6)) {
            throw new InferenceException(
                    InferenceException.Reason.INVALID_METADATA,
                    "Model " + model.name()
                            + ": a " + (columns ? "YOLO_V8 output is [1,4+C,N]" : "YOLO output is [1,N,5+C]") + ", got "
                            + java.util.Arrays.toString(shape));
        }
        int n = (int) (columns ? shape[2] : shape[1]);
        int width = (int) (columns ? shape[1] : shape[2]);
        int first = columns ? 4 : 5;
        // Element k of anchor i: rows are contiguous per anchor, columns per element.
        int anchorStep = columns ? 1 : width;
        int elementStep = columns ? n : 1;
        float[] d = output.data();
        Candidates candidates = new Candidates();
        for (int i = 0; i < n; i++) {
            int base = i * anchorStep;
            float objectness = columns ? 1f : d[base + 4 * elementStep];
            int best = first;
            for (int k = first + 1; k < width; k++) {
                if (d[base + k * elementStep] > d[base + best * elementStep]) {
                    best = k;
                }
            }
            float score = objectness * d[base + best * elementStep];
            if (score > threshold) {
                float cx = d[base];
                float cy = d[base + elementStep];
                float w = d[base + 2 * elementStep];
                float h = d[base + 3 * elementStep];
                candidates.add(score, best - first, placement.toFrame(cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2));
            }
        }
        return candidates.suppress(model.threshold("iou", 0.45), model.labels());
    }
}
