package dev.mecgw.inference.vision;

import dev.mecgw.inference.model.ModelLease;
import dev.mecgw.inference.model.ModelMetadata;
import dev.mecgw.inference.model.Preprocessing;
import dev.mecgw.inference.onnx.FloatTensor;
import dev.mecgw.inference.onnx.InferenceException;
import java.awt.image.BufferedImage;
import java.util.List;

/**
 * One frame through one vision model: decode, prepare, run, postprocess. Thread-safe; blocks for the run,
 * so call it from an inference worker.
 */
final class FrameAnalyzer {

    private final FrameDecoder decoder = new FrameDecoder();
    private final ImagePreprocessor preprocessor = new ImagePreprocessor();

    /**
     * @throws InferenceException {@code INVALID_INPUT} for an undecodable frame, or any run failure
     */
    public VisionResult analyze(byte[] frame, ModelLease lease) {
        long start = System.nanoTime();
        BufferedImage image = decoder.decode(frame);
        long decoded = System.nanoTime();
        return analyze(image, lease, decoded - start);
    }

    /** Same as {@link #analyze(byte[], ModelLease)} for an already decoded image. */
    public VisionResult analyze(BufferedImage image, ModelLease lease, long decodeNanos) {
        long start = System.nanoTime();
        ModelMetadata model = lease.metadata();
        Preprocessing pre = model.preprocessing();
        Placement placement = preprocessor.placement(image, pre);
        // Written straight into the runner's native input buffer: no intermediate image or array.
        List<FloatTensor> outputs = lease.run(
                model.inputs().get(0).name(),
                preprocessor.shape(pre),
                buffer -> preprocessor.write(image, pre, buffer));
        List<ClassScore> classes = List.of();
        List<Detection> detections = List.of();
        switch (model.head()) {
            case CLASSIFICATION ->
                classes = VisionHeads.topK(outputs.get(0).data(), model.labels(), (int) model.threshold("topK", 5));
            case ULTRAFACE ->
                detections = VisionHeads.ultraFace(
                        output(outputs, "scores", 0), output(outputs, "boxes", 1), model, placement);
            case YOLO -> detections = VisionHeads.yolo(outputs.get(0), model, placement, false);
            case YOLO_V8 -> detections = VisionHeads.yolo(outputs.get(0), model, placement, true);
            default ->
                throw new InferenceException(
                        InferenceException.Reason.INVALID_METADATA,
                        "Model " + model.name() + " has head " + model.head() + ", not a vision head");
        }
        return new VisionResult(
                model.name(), model.version(), classes, detections, decodeNanos, System.nanoTime() - start);
    }

    private static FloatTensor output(List<FloatTensor> outputs, String name, int fallbackIndex) {
        return outputs.stream().filter(t -> t.name().equals(name)).findFirst().orElse(outputs.get(fallbackIndex));
    }
}
