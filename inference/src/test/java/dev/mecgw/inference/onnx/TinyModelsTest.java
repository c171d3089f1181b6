package dev.mecgw.inference.onnx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class TinyModelsTest {

    private final OnnxModelLoader loader = new OnnxModelLoader(SessionSettings.defaults(), new SimpleMeterRegistry());

    @Test
    void shouldPredictTheRoundedMeanPlusShiftWhenRunningTheDigitsModel() {
        try (ModelRunner runner = loader.load("digits", "1", TinyModels.digits(1), null)) {
            // given a 28x28 frame of 2.2
            float[] pixels = new float[28 * 28];
            Arrays.fill(pixels, 2.2f);

            // when
            float[] logits = runner.run(List.of(new FloatTensor("Input3", new long[] {1, 1, 28, 28}, pixels)))
                    .get(0)
                    .data();

            // then class 2 + 1
            assertThat(argmax(logits)).isEqualTo(3);
            assertThat(runner.signature().outputs().get(0).shape()).containsExactly(1, 10);
        }
    }

    @Test
    void shouldScoreAFaceOnlyWhenTheFrameIsBright() {
        try (ModelRunner runner = loader.load("faces", "1", TinyModels.faces(24, 32), null)) {
            float[] bright = new float[3 * 24 * 32];
            Arrays.fill(bright, 1f);
            float[] gray = new float[3 * 24 * 32];

            List<FloatTensor> onBright =
                    runner.run(List.of(new FloatTensor("input", new long[] {1, 3, 24, 32}, bright)));
            float[] onGray = runner.run(List.of(new FloatTensor("input", new long[] {1, 3, 24, 32}, gray)))
                    .get(0)
                    .data();

            assertThat(onBright.get(0).shape()).containsExactly(1, 1, 2);
            assertThat(onBright.get(0).data()[1]).isGreaterThan(0.99f);
            assertThat(onBright.get(1).data()).containsExactly(0.25f, 0.25f, 0.75f, 0.75f);
            assertThat(onGray[1]).isCloseTo(0.119f, within(0.01f));
        }
    }

    @Test
    void shouldReconstructScaledWhenRunningTheAutoencoder() {
        try (ModelRunner runner = loader.load("ae", "1", TinyModels.autoencoder(4, 0.5f), null)) {
            float[] out = runner.run(List.of(
                            new FloatTensor("actual_input_1", new long[] {2, 4}, new float[] {2, 4, 6, 8, 1, 1, 1, 1})))
                    .get(0)
                    .data();

            assertThat(out).containsExactly(1, 2, 3, 4, 0.5f, 0.5f, 0.5f, 0.5f);
        }
    }

    private static int argmax(float[] values) {
        int best = 0;
        for (int i = 1; i < values.length; i++) {
            best = values[i] > values[best] ? i : best;
        }
        return best;
    }
}
