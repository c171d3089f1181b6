package dev.mecgw.inference.onnx;

import ai.onnx.proto.OnnxMl;
import java.util.List;
import java.util.Map;
import org.tribuo.util.onnx.ONNXContext;
import org.tribuo.util.onnx.ONNXInitializer;
import org.tribuo.util.onnx.ONNXNode;
import org.tribuo.util.onnx.ONNXOperators;
import org.tribuo.util.onnx.ONNXPlaceholder;

/**
 * Small ONNX models that tests build themselves with Tribuo's ONNX writer, so that the pipeline mechanics
 * (registry, hot swap, pre/post-processing, batching, isolation) are covered without the pretrained fixtures.
 * Each keeps the input and output names and shapes of the pretrained model it stands in for, so metadata written
 * for one fits the other; what they compute is simple enough to assert exactly.
 */
public final class TinyModels {

    private TinyModels() {}

    /**
     * A "digit classifier" with the names and shapes of mnist-8 ({@code Input3 [1,1,28,28]} →
     * {@code Plus214_Output_0 [1,10]}): the class is the mean pixel value rounded, plus {@code shift}. Logits are
     * {@code 2k(m+shift) − k²}, highest for the k nearest to {@code m+shift}.
     *
     * @param shift added to the predicted class, so that two versions give different answers
     * @return model bytes
     */
    public static byte[] digits(int shift) {
        ONNXContext context = new ONNXContext();
        context.setName("tiny-digits-" + shift);
        ONNXPlaceholder input = context.floatInput("Input3", 1);
        ONNXPlaceholder output = context.floatOutput("Plus214_Output_0", 10);
        ONNXInitializer weights = context.floatTensor("weights", List.of(1, 10), b -> {
            for (int k = 0; k < 10; k++) {
                b.put(2f * k);
            }
        });
        ONNXInitializer bias = context.floatTensor("bias", List.of(10), b -> {
            for (int k = 0; k < 10; k++) {
                b.put(2f * k * shift - k * k);
            }
        });
        input.apply(ONNXOperators.REDUCE_MEAN, Map.of("axes", new int[] {2, 3}, "keepdims", 0))
                .apply(ONNXOperators.GEMM, List.of(weights, bias))
                .assignTo(output);
        return model(context, Map.of("Input3", new long[] {1, 1, 28, 28}, "Plus214_Output_0", new long[] {1, 10}));
    }

    /**
     * A "face detector" with UltraFace's head ({@code input [1,3,h,w]} → {@code scores [1,1,2]} and
     * {@code boxes [1,1,4]}): one box at {@code (0.25,0.25)-(0.75,0.75)} whose face score is
     * {@code sigmoid(8·mean − 2)} of the normalized input, so a bright frame (≈ +1 after {@code (p−127)/128}) has a
     * face at 0.998 and a mid-gray or dark one none (≤ 0.12).
     *
     * @param height input height
     * @param width input width
     * @return model bytes
     */
    public static byte[] faces(int height, int width) {
        ONNXContext context = new ONNXContext();
        context.setName("tiny-faces");
        ONNXPlaceholder input = context.floatInput("input", 1);
        ONNXPlaceholder scores = context.floatOutput("scores", 2);
        ONNXPlaceholder boxes = context.floatOutput("boxes", 4);
        ONNXNode mean = input.apply(ONNXOperators.REDUCE_MEAN, Map.of("axes", new int[] {2, 3}, "keepdims", 0))
                .apply(ONNXOperators.REDUCE_MEAN, Map.of("axes", new int[] {1}, "keepdims", 1));
        ONNXNode face = mean.apply(ONNXOperators.MUL, context.constant("gain", 8f))
                .apply(ONNXOperators.ADD, context.constant("offset", -2f))
                .apply(ONNXOperators.SIGMOID)
                .apply(ONNXOperators.MUL, context.floatTensor("ones", List.of(1, 1, 1), b -> b.put(1f)));
        ONNXNode background = context.constant("one", 1f).apply(ONNXOperators.SUB, face);
        context.operation(ONNXOperators.CONCAT, List.of(background, face), "scores_concat", Map.of("axis", 2))
                .assignTo(scores);
        ONNXInitializer box = context.floatTensor(
                "box", List.of(1, 1, 4), b -> b.put(0.25f).put(0.25f).put(0.75f).put(0.75f));
        face.apply(ONNXOperators.MUL, context.constant("zero", 0f))
                .apply(ONNXOperators.ADD, box)
                .assignTo(boxes);
        return model(
                context,
                Map.of(
                        "input", new long[] {1, 3, height, width},
                        "scores", new long[] {1, 1, 2},
                        "boxes", new long[] {1, 1, 4}));
    }

    /**
     * A "sensor autoencoder" with the toycar model's names ({@code actual_input_1 [batch,n]} →
     * {@code output1 [batch,n]}) that reconstructs each value as {@code factor × value}.
     *
     * @param n values per row
     * @param factor reconstruction factor (1 reconstructs perfectly)
     * @return model bytes
     */
    public static byte[] autoencoder(int n, float factor) {
        ONNXContext context = new ONNXContext();
        context.setName("tiny-autoencoder");
        ONNXPlaceholder input = context.floatInput("actual_input_1", n);
        ONNXPlaceholder output = context.floatOutput("output1", n);
        input.apply(ONNXOperators.MUL, context.constant("factor", factor)).assignTo(output);
        return model(context, Map.of());
    }

    /** Writes the graph, declaring the given exact shapes for inputs and outputs that need more than 2 dims. */
    private static byte[] model(ONNXContext context, Map<String, long[]> shapes) {
        OnnxMl.GraphProto.Builder graph = context.buildGraph().toBuilder();
        for (int i = 0; i < graph.getInputCount(); i++) {
            graph.setInput(i, reshaped(graph.getInput(i), shapes));
        }
        for (int i = 0; i < graph.getOutputCount(); i++) {
            graph.setOutput(i, reshaped(graph.getOutput(i), shapes));
        }
        return OnnxMl.ModelProto.newBuilder()
                .setIrVersion(7)
                .setProducerName("mecgw-tests")
                .setModelVersion(1)
                .addOpsetImport(ONNXOperators.getOpsetProto())
                .setGraph(graph)
                .build()
                .toByteArray();
    }

    private static OnnxMl.ValueInfoProto reshaped(OnnxMl.ValueInfoProto value, Map<String, long[]> shapes) {
        long[] dims = shapes.get(value.getName());
        if (dims == null) {
            return value;
        }
        OnnxMl.TensorShapeProto.Builder shape = OnnxMl.TensorShapeProto.newBuilder();
        for (long d : dims) {
            shape.addDim(OnnxMl.TensorShapeProto.Dimension.newBuilder().setDimValue(d));
        }
        OnnxMl.ValueInfoProto.Builder builder = value.toBuilder();
        builder.getTypeBuilder().getTensorTypeBuilder().setShape(shape);
        return builder.build();
    }
}
