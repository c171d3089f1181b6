package dev.mecgw.inference.vision;

import dev.mecgw.inference.model.FileModelRegistry;
import dev.mecgw.inference.model.Head;
import dev.mecgw.inference.model.ModelKind;
import dev.mecgw.inference.model.ModelMetadata;
import dev.mecgw.inference.model.Preprocessing;
import dev.mecgw.inference.onnx.SharedModels;
import dev.mecgw.inference.onnx.TensorSpec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;

/** Metadata of the shared vision models, as an operator would upload it (see shared/models/README.md). */
public final class VisionModels {

    private VisionModels() {}

    public static ModelMetadata ultraFace() {
        return new ModelMetadata(
                "faces",
                "1",
                ModelKind.VISION,
                Head.ULTRAFACE,
                FileModelRegistry.sha256(SharedModels.bytes("ultraface-rfb-320")),
                List.of(new TensorSpec("input", new long[] {1, 3, 240, 320})),
                List.of(
                        new TensorSpec("scores", new long[] {1, 4420, 2}),
                        new TensorSpec("boxes", new long[] {1, 4420, 4})),
                new Preprocessing(
                        320,
                        240,
                        Preprocessing.Colors.RGB,
                        Preprocessing.Layout.NCHW,
                        Preprocessing.Resize.STRETCH,
                        1f,
                        new float[] {127f},
                        new float[] {128f},
                        Preprocessing.Interpolation.BILINEAR),
                Map.of("score", 0.7, "iou", 0.3),
                List.of("BACKGROUND", "face"));
    }

    public static ModelMetadata visualWakeWords() {
        return new ModelMetadata(
                "person",
                "1",
                ModelKind.VISION,
                Head.CLASSIFICATION,
                FileModelRegistry.sha256(SharedModels.bytes("vww-mobilenetv1-96")),
                List.of(new TensorSpec("input_1", new long[] {1, 3, 96, 96})),
                List.of(new TensorSpec("Identity", new long[] {1, 2})),
                new Preprocessing(
                        96,
                        96,
                        Preprocessing.Colors.RGB,
                        Preprocessing.Layout.NCHW,
                        Preprocessing.Resize.STRETCH,
                        1f / 255f,
                        new float[] {0f},
                        new float[] {1f}),
                Map.of("topK", 2.0, "score", 0.5),
                List.of("non_person", "person"));
    }

    public static byte[] image(String name) {
        try {
            return Files.readAllBytes(SharedModels.image(name));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
