package dev.mecgw.inference.vision;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

class VisionHeadsTest {

    @Test
    void shouldKeepBestBoxAndDropOverlapsWhenSuppressing() {
        // given two overlapping faces and one apart
        Detection best = new Detection("face", 0.99, new BoundingBox(0, 0, 10, 10));
        Detection overlap = new Detection("face", 0.95, new BoundingBox(1, 1, 11, 11));
        Detection apart = new Detection("face", 0.80, new BoundingBox(50, 50, 60, 60));

        // when
        List<Detection> kept = VisionHeads.nms(List.of(overlap, apart, best), 0.3);

        // then
        assertThat(kept).containsExactly(best, apart);
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
