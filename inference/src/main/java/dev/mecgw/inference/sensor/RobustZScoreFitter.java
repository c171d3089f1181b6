package dev.mecgw.inference.sensor;

import ai.onnx.proto.OnnxMl;
import dev.mecgw.inference.model.FileModelRegistry;
import dev.mecgw.inference.model.Head;
import dev.mecgw.inference.model.ModelKind;
import dev.mecgw.inference.model.ModelMetadata;
import dev.mecgw.inference.onnx.TensorSpec;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.tribuo.util.onnx.ONNXContext;
import org.tribuo.util.onnx.ONNXInitializer;
import org.tribuo.util.onnx.ONNXNode;
import org.tribuo.util.onnx.ONNXOperators;
import org.tribuo.util.onnx.ONNXPlaceholder;

/**
 * Fits the gateway's default sensor anomaly model on normal telemetry: a robust z-score. The centre is the
 * median and the spread 1.4826 × the median absolute deviation, which outliers in the training data barely
 * move. A window's score is the mean squared robust z of its values; the threshold is a margin above the
 * highest training-window score. The model is written as ONNX with Tribuo's ONNX builder so it runs through
 * the same registry and runner as uploaded models.
 */
public final class RobustZScoreFitter {

    /** Consistency constant making the MAD estimate sigma for normal data. */
    private static final double MAD_TO_SIGMA = 1.4826;

    /** A fitted model: its metadata and ONNX bytes, ready for {@code ModelRegistry.install}. */
    public record Fitted(ModelMetadata metadata, byte[] onnx, double center, double scale) {}

    /**
     * @param name model name to register
     * @param version version label
     * @param series training series of normal behaviour, each in time order (one per device)
     * @param window readings per window
     * @param margin threshold = margin × the highest training-window score, e.g. 1.5
     * @throws IllegalArgumentException when the series hold fewer than {@code window} readings in total
     */
    public Fitted fit(String name, String version, List<double[]> series, int window, double margin) {
        double[] all = series.stream().flatMapToDouble(Arrays::stream).toArray();
        if (all.length < window || window < 1) {
            throw new IllegalArgumentException(
                    "Need at least one window (" + window + " readings) of training data, got " + all.length);
        }
        double center = median(all);
        double[] deviations = Arrays.stream(all).map(v -> Math.abs(v - center)).toArray();
        // A constant series has MAD 0; fall back to a tiny spread so any change scores high.
        double scale = Math.max(MAD_TO_SIGMA * median(deviations), 1e-6);
        double highest = 0;
        for (double[] s : series) {
            for (int start = 0; start + window <= s.length; start++) {
                highest = Math.max(highest, score(s, start, window, center, scale));
            }
        }
        double threshold = Math.max(highest * margin, 1.0);
        byte[] onnx = toOnnx(window, (float) center, (float) scale, name, version);
        ModelMetadata metadata = new ModelMetadata(
                name,
                version,
                ModelKind.SENSOR,
                Head.SCORE,
                FileModelRegistry.sha256(onnx),
                List.of(new TensorSpec("window", new long[] {-1, window})),
                List.of(new TensorSpec("score", new long[] {-1, 1})),
                null,
                Map.of("score", threshold),
                List.of());
        return new Fitted(metadata, onnx, center, scale);
    }

    static double score(double[] s, int start, int window, double center, double scale) {
        double sum = 0;
        for (int i = start; i < start + window; i++) {
            double z = (s[i] - center) / scale;
            sum += z * z;
        }
        return sum / window;
    }

    private static byte[] toOnnx(int window, float center, float scale, String name, String version) {
        ONNXContext context = new ONNXContext();
        context.setName(name);
        ONNXPlaceholder input = context.floatInput("window", window);
        ONNXPlaceholder output = context.floatOutput("score", 1);
        ONNXInitializer c = context.constant("center", center);
        ONNXInitializer s = context.constant("scale", scale);
        ONNXNode z = input.apply(ONNXOperators.SUB, c).apply(ONNXOperators.DIV, s);
        ONNXNode squared = z.apply(ONNXOperators.MUL, z);
        squared.apply(ONNXOperators.REDUCE_MEAN, Map.of("axes", new int[] {1}, "keepdims", 1))
                .assignTo(output);
        return OnnxMl.ModelProto.newBuilder()
                .setIrVersion(7)
                .setProducerName("mecgw")
                .setModelVersion(1)
                .setDocString("Robust z-score anomaly model " + name + " " + version + ", centre " + center + ", scale "
                        + scale)
                .addOpsetImport(ONNXOperators.getOpsetProto())
                .setGraph(context.buildGraph())
                .build()
                .toByteArray();
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int mid = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    }
}
