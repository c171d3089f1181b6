package dev.mecgw.inference.vision;

import dev.mecgw.inference.model.FileModelRegistry;
import dev.mecgw.inference.model.Head;
import dev.mecgw.inference.model.ModelKind;
import dev.mecgw.inference.model.ModelMetadata;
import dev.mecgw.inference.model.Preprocessing;
import dev.mecgw.inference.onnx.SharedModels;
import dev.mecgw.inference.onnx.TensorSpec;
import dev.mecgw.inference.onnx.TinyModels;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;

/** Metadata of the shared vision models, as an operator would upload it (see models/README.md in the fixtures, docs/fixtures.md). */
public final class VisionModels {

    private static final byte[] TINY_FACES = TinyModels.faces(48, 64);

    private VisionModels() {}

    public static ModelMetadata ultraFace() {
        return ultraFace("1");
    }

    /** UltraFace as {@code faces} of the given version (the same bytes, for hot swaps between versions). */
    public static ModelMetadata ultraFace(String version) {
        return new ModelMetadata(
                "faces",
                version,
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

    /**
     * Metadata of {@link TinyModels#faces} at 64x48, named and shaped like UltraFace ({@code faces}, head
     * {@code ULTRAFACE}, same normalization), for tests of the pipeline's mechanics without fixtures.
     */
    public static ModelMetadata tinyFaces() {
        return tinyFaces("1");
    }

    /** {@link #tinyFaces()} as the given version (the same bytes, for hot swaps and rollouts between versions). */
    public static ModelMetadata tinyFaces(String version) {
        return new ModelMetadata(
                "faces",
                version,
                ModelKind.VISION,
                Head.ULTRAFACE,
                FileModelRegistry.sha256(TINY_FACES),
                List.of(new TensorSpec("input", new long[] {1, 3, 48, 64})),
                List.of(new TensorSpec("scores", new long[] {1, 1, 2}), new TensorSpec("boxes", new long[] {1, 1, 4})),
                new Preprocessing(
                        64,
                        48,
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

    /** The bytes of {@link #tinyFaces()}. */
    public static byte[] tinyFacesModel() {
        return TINY_FACES.clone();
    }

    /** A 320x240 PNG that {@link #tinyFaces()} finds one face in (it is bright). */
    public static byte[] faceFrame() {
        java.awt.image.BufferedImage image =
                new java.awt.image.BufferedImage(320, 240, java.awt.image.BufferedImage.TYPE_INT_RGB);
        java.awt.Graphics2D g = image.createGraphics();
        g.setColor(java.awt.Color.WHITE);
        g.fillRect(0, 0, 320, 240);
        g.setColor(new java.awt.Color(230, 200, 170));
        g.fillOval(120, 60, 80, 100);
        g.dispose();
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        try {
            javax.imageio.ImageIO.write(image, "png", out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
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
