package dev.mecgw.inference.vision;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.mecgw.inference.model.FileModelRegistry;
import dev.mecgw.inference.model.ModelLease;
import dev.mecgw.inference.onnx.InferenceException;
import dev.mecgw.inference.onnx.OnnxModelLoader;
import dev.mecgw.inference.onnx.SessionSettings;
import dev.mecgw.inference.onnx.SharedModels;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FrameAnalyzerTest {

    /** Upstream-verified face in astronaut.png after NMS, pixel corners (models/README.md of the fixtures, docs/fixtures.md). */
    private static final BoundingBox ASTRONAUT_FACE = new BoundingBox(178, 62, 269, 173);

    @TempDir
    static Path dir;

    private static FileModelRegistry registry;
    private final FrameAnalyzer analyzer = new FrameAnalyzer();

    @BeforeAll
    static void installModels() {
        registry =
                new FileModelRegistry(dir, new OnnxModelLoader(SessionSettings.defaults(), new SimpleMeterRegistry()));
        registry.install(VisionModels.ultraFace(), SharedModels.bytes("ultraface-rfb-320"));
        registry.install(VisionModels.visualWakeWords(), SharedModels.bytes("vww-mobilenetv1-96"));
    }

    @AfterAll
    static void closeRegistry() {
        registry.close();
    }

    @Test
    void shouldFindTheAstronautsFaceWhenDetectingOnPng() {
        // given
        byte[] frame = VisionModels.image("astronaut.png");

        // when
        VisionResult result;
        try (ModelLease lease = registry.lease("faces")) {
            result = analyzer.analyze(frame, lease);
        }

        // then
        assertThat(result.detections()).hasSize(1);
        Detection face = result.detections().get(0);
        assertThat(face.label()).isEqualTo("face");
        assertThat(face.score()).isGreaterThan(0.99);
        assertThat(face.box().iou(ASTRONAUT_FACE)).isGreaterThan(0.9);
        assertThat(result.decodeNanos()).isPositive();
    }

    @Test
    void shouldClassifyPersonAndNoPersonWhenRunningVisualWakeWords() {
        // when
        List<ClassScore> astronaut;
        List<ClassScore> kitten;
        try (ModelLease lease = registry.lease("person")) {
            astronaut =
                    analyzer.analyze(VisionModels.image("astronaut.png"), lease).classes();
            kitten = analyzer.analyze(VisionModels.image("kitten_224.png"), lease)
                    .classes();
        }

        // then: README end-to-end Java figures 0.1089/0.8911 and 0.9857/0.0143 (resize differs slightly)
        assertThat(astronaut.get(0).label()).isEqualTo("person");
        assertThat(astronaut.get(0).score()).isCloseTo(0.89, within(0.05));
        assertThat(kitten.get(0).label()).isEqualTo("non_person");
        assertThat(kitten.get(0).score()).isCloseTo(0.986, within(0.02));
        assertThat(kitten).hasSize(2);
    }

    @Test
    void shouldFailWithInvalidInputWhenFrameIsNotAnImage() {
        // given
        byte[] garbage = "definitely not a jpeg".getBytes();

        // when / then
        try (ModelLease lease = registry.lease("faces")) {
            assertThatThrownBy(() -> analyzer.analyze(garbage, lease))
                    .isInstanceOfSatisfying(
                            InferenceException.class,
                            e -> assertThat(e.reason()).isEqualTo(InferenceException.Reason.INVALID_INPUT));
        }
    }
}
