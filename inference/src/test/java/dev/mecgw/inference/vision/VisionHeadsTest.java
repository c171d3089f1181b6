package dev.mecgw.inference.vision;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.mecgw.inference.model.Head;
import dev.mecgw.inference.model.ModelKind;
import dev.mecgw.inference.model.ModelMetadata;
import dev.mecgw.inference.model.Preprocessing;
import dev.mecgw.inference.onnx.FloatTensor;
import dev.mecgw.inference.onnx.TensorSpec;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class VisionHeadsTest {

    @Test
    void shouldKeepBestBoxAndDropOverlapsWhenSuppressing() {
        // given three faces above the threshold, two overlapping, and one background-only prior (100x100 input)
        FloatTensor scores = new FloatTensor(
                "scores", new long[] {1, 4, 2}, new float[] {0.05f, 0.95f, 0.2f, 0.8f, 0.01f, 0.99f, 0.9f, 0.1f});
        FloatTensor boxes = new FloatTensor("boxes", new long[] {1, 4, 4}, new float[] {
            0.01f, 0.01f, 0.11f, 0.11f, 0.5f, 0.5f, 0.6f, 0.6f, 0f, 0f, 0.1f, 0.1f, 0.3f, 0.3f, 0.4f, 0.4f
        });
        Placement identity = new Placement(1, 1, 0, 0, 100, 100);

        // when
        List<Detection> kept = VisionHeads.ultraFace(scores, boxes, givenAFaceModel(), identity);

        // then the 0.99 box wins over its 0.95 neighbour; the apart 0.8 box stays, best first
        assertThat(kept).extracting(Detection::score).containsExactly(0.99f * 1.0, 0.8f * 1.0);
        assertThat(kept.get(0).box()).isEqualTo(new BoundingBox(0, 0, 0.1f * 100, 0.1f * 100));
        assertThat(kept).extracting(Detection::label).containsOnly("face");
    }

    @Test
    void shouldKeepTheBestBoxPerClassWhenDecodingYoloRowsAndColumns() {
        // given four anchors (cx, cy, w, h, objectness, cat, dog): a dog, an overlapping weaker dog, a cat, a weak one
        float[][] anchors = {
            {50, 50, 20, 20, 0.9f, 0.1f, 0.9f},
            {52, 50, 20, 20, 0.8f, 0.2f, 0.8f},
            {20, 20, 10, 10, 0.9f, 0.95f, 0.05f},
            {80, 80, 10, 10, 0.1f, 0.9f, 0.1f}
        };
        float[] rows = new float[4 * 7];
        float[] columns = new float[4 * 6];
        for (int i = 0; i < 4; i++) {
            System.arraycopy(anchors[i], 0, rows, i * 7, 7);
            for (int k = 0; k < 6; k++) {
                // YOLOv8 has no objectness: fold it into the class scores.
                columns[k * 4 + i] = k < 4 ? anchors[i][k] : anchors[i][4] * anchors[i][k + 1];
            }
        }
        ModelMetadata model = givenAYoloModel();
        Placement letterbox = new Placement(0.5, 0.5, 0, 10, 200, 160);

        // when
        List<Detection> v5 =
                VisionHeads.yolo(new FloatTensor("out", new long[] {1, 4, 7}, rows), model, letterbox, false);
        List<Detection> v8 =
                VisionHeads.yolo(new FloatTensor("out", new long[] {1, 6, 4}, columns), model, letterbox, true);

        // then
        assertThat(v5).extracting(Detection::label).containsExactly("cat", "dog");
        assertThat(v5.get(0).score()).isCloseTo(0.855, within(1e-6));
        assertThat(v5.get(1).box()).isEqualTo(new BoundingBox(80, 60, 120, 100));
        assertThat(v8).extracting(Detection::label).containsExactly("cat", "dog");
        assertThat(v8)
                .extracting(Detection::box)
                .containsExactlyElementsOf(v5.stream().map(Detection::box).toList());
    }

    private static ModelMetadata givenAYoloModel() {
        return new ModelMetadata(
                "objects",
                "1",
                ModelKind.VISION,
                Head.YOLO,
                "0".repeat(64),
                List.of(new TensorSpec("images", new long[] {1, 3, 100, 100})),
                List.of(new TensorSpec("out", new long[] {1, -1, -1})),
                new Preprocessing(
                        100,
                        100,
                        Preprocessing.Colors.RGB,
                        Preprocessing.Layout.NCHW,
                        Preprocessing.Resize.LETTERBOX,
                        1f / 255f,
                        new float[] {0f},
                        new float[] {1f}),
                Map.of("score", 0.5, "iou", 0.45),
                List.of("cat", "dog"));
    }

    private static ModelMetadata givenAFaceModel() {
        return new ModelMetadata(
                "faces",
                "1",
                ModelKind.VISION,
                Head.ULTRAFACE,
                "0".repeat(64),
                List.of(new TensorSpec("input", new long[] {1, 3, 100, 100})),
                List.of(new TensorSpec("scores", new long[] {1, 4, 2}), new TensorSpec("boxes", new long[] {1, 4, 4})),
                new Preprocessing(
                        100,
                        100,
                        Preprocessing.Colors.RGB,
                        Preprocessing.Layout.NCHW,
                        Preprocessing.Resize.STRETCH,
                        1f,
                        new float[] {127f},
                        new float[] {128f}),
                Map.of("score", 0.7, "iou", 0.3),
                List.of("BACKGROUND", "face"));
    }

    @Test
    void shouldApplySoftmaxWhenScoresAreLogits() {
        // when
        List<ClassScore> top = VisionHeads.topK(new float[] {1f, 3f, 2f}, List.of("a", "b", "c"), 2);

        // then
        assertThat(top).extracting(ClassScore::label).containsExactly("b", "c");
        assertThat(top.get(0).score()).isCloseTo(Math.exp(3) / (Math.exp(1) + Math.exp(2) + Math.exp(3)), within(1e-9));
    }

    @Test
    void shouldKeepProbabilitiesWhenScoresAlreadySumToOne() {
        // when
        List<ClassScore> top = VisionHeads.topK(new float[] {0.25f, 0.75f}, List.of(), 5);

        // then
        assertThat(top).extracting(ClassScore::label).containsExactly("1", "0");
        assertThat(top.get(0).score()).isCloseTo(0.75, within(1e-6));
    }
}
