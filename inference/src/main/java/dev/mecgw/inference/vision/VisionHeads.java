package dev.mecgw.inference.vision;

import dev.mecgw.inference.model.ModelMetadata;
import dev.mecgw.inference.onnx.FloatTensor;
import java.util.ArrayList;
import java.util.Comparator;
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
        List<ClassScore> all = new ArrayList<>(p.length);
        for (int i = 0; i < p.length; i++) {
            all.add(new ClassScore(i, i < labels.size() ? labels.get(i) : Integer.toString(i), p[i]));
        }
        all.sort(Comparator.comparingDouble(ClassScore::score).reversed());
        return List.copyOf(all.subList(0, Math.min(k, all.size())));
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
        double iou = model.threshold("iou", 0.3);
        int classes = (int) scores.shape()[2];
        int n = (int) scores.shape()[1];
        int inputW = model.preprocessing().width();
        int inputH = model.preprocessing().height();
        List<Detection> candidates = new ArrayList<>();
        float[] s = scores.data();
        float[] b = boxes.data();
        for (int i = 0; i < n; i++) {
            for (int c = 1; c < classes; c++) {
                float score = s[i * classes + c];
                if (score > threshold) {
                    BoundingBox box = placement.toFrame(b[i * 4] * inputW, b[i * 4 + 1] * inputH,
                            b[i * 4 + 2] * inputW, b[i * 4 + 3] * inputH);
                    String label = c < model.labels().size() ? model.labels().get(c) : Integer.toString(c);
                    candidates.add(new Detection(label, score, box));
                }
            }
        }
        return nms(candidates, iou);
    }

    /** Hard non-maximum suppression per label: keeps the best box, drops others overlapping it above {@code iou}. */
    static List<Detection> nms(List<Detection> candidates, double iou) {
        List<Detection> sorted = new ArrayList<>(candidates);
        sorted.sort(Comparator.comparingDouble(Detection::score).reversed());
        List<Detection> kept = new ArrayList<>();
        for (Detection d : sorted) {
            boolean suppressed = false;
            for (Detection k : kept) {
                if (k.label().equals(d.label()) && k.box().iou(d.box()) > iou) {
                    suppressed = true;
                    break;
                }
            }
            if (!suppressed) {
                kept.add(d);
            }
        }
        return kept;
    }
}
