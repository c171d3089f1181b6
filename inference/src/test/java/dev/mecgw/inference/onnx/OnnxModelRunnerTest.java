package dev.mecgw.inference.onnx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class OnnxModelRunnerTest {

    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final OnnxModelLoader loader = new OnnxModelLoader(SessionSettings.defaults(), meters);

    /** Every reference data set of the fixtures, listed so that each missing one skips with its own line. */
    static Stream<Arguments> referenceDataSets() {
        return Stream.of(
                Arguments.of("mnist-8", 0),
                Arguments.of("vww-mobilenetv1-96", 0),
                Arguments.of("vww-mobilenetv1-96", 1),
                Arguments.of("ultraface-rfb-320", 0),
                Arguments.of("toycar-ad-autoencoder", 0));
    }

    @ParameterizedTest(name = "{0} test_data_set_{1}")
    @MethodSource("referenceDataSets")
    void shouldReproduceReferenceOutputsWhenRunningSharedModels(String model, int index) {
        // given
        Path dataSet = SharedModels.dataSet(model, index);
        List<FloatTensor> expected = SharedModels.tensors(dataSet, "output_");
        try (ModelRunner runner = loader.load(model, "ref", SharedModels.bytes(model), null)) {
            List<FloatTensor> inputs = SharedModels.inputs(dataSet, runner.signature());
            // when
            List<FloatTensor> actual = runner.run(inputs);

            // then
            assertThat(actual).hasSameSizeAs(expected);
            for (int i = 0; i < expected.size(); i++) {
                if (!expected.get(i).name().isEmpty()) {
                    assertThat(actual.get(i).name()).isEqualTo(expected.get(i).name());
                }
                assertThat(actual.get(i).shape()).isEqualTo(expected.get(i).shape());
                assertClose(actual.get(i).data(), expected.get(i).data());
            }
        }
    }

    @Test
    void shouldRejectModelWhenBytesAreCorrupt() {
        // given
        byte[] bytes = TinyModels.digits(0);
        byte[] truncated = java.util.Arrays.copyOf(bytes, bytes.length / 2);

        // when / then
        assertThatThrownBy(() -> loader.load("mnist", "2", truncated, null))
                .isInstanceOfSatisfying(
                        InferenceException.class,
                        e -> assertThat(e.reason()).isEqualTo(InferenceException.Reason.CORRUPT_MODEL))
                .hasMessageContaining("mnist 2 does not load");
    }

    @Test
    void shouldRejectModelWhenSignatureDiffersFromMetadata() {
        // given
        ModelSignature declared = new ModelSignature(
                List.of(new TensorSpec("Input3", new long[] {1, 3, 28, 28})),
                List.of(new TensorSpec("logits", new long[] {1, 10})));

        // when / then
        assertThatThrownBy(() -> loader.load("mnist", "2", TinyModels.digits(0), declared))
                .isInstanceOfSatisfying(
                        InferenceException.class,
                        e -> assertThat(e.reason()).isEqualTo(InferenceException.Reason.SIGNATURE_MISMATCH))
                .hasMessageContaining("input 'Input3' has shape Input3[1, 1, 28, 28], declared Input3[1, 3, 28, 28]")
                .hasMessageContaining("declared output 'logits' is not in the model");
    }

    @Test
    void shouldAcceptModelWhenMetadataLeavesBatchFree() {
        // given
        ModelSignature declared = new ModelSignature(
                List.of(new TensorSpec("Input3", new long[] {-1, 1, 28, 28})),
                List.of(new TensorSpec("Plus214_Output_0", new long[] {-1, 10})));

        // when
        try (ModelRunner runner = loader.load("mnist", "1", TinyModels.digits(0), declared)) {
            // then
            assertThat(runner.signature().inputs()).extracting(TensorSpec::name).containsExactly("Input3");
        }
    }

    @Test
    void shouldFailWithInvalidInputWhenShapeIsWrongAndCountError() {
        // given
        try (ModelRunner runner = loader.load("mnist", "1", TinyModels.digits(0), null)) {
            FloatTensor wrong = new FloatTensor("Input3", new long[] {1, 1, 14, 14}, new float[196]);

            // when / then
            assertThatThrownBy(() -> runner.run(List.of(wrong)))
                    .isInstanceOfSatisfying(
                            InferenceException.class,
                            e -> assertThat(e.reason()).isEqualTo(InferenceException.Reason.INVALID_INPUT));
        }
    }

    @Test
    void shouldRecordRunsPerModelWhenRunSucceeds() {
        // given
        FloatTensor frame = new FloatTensor("Input3", new long[] {1, 1, 28, 28}, new float[28 * 28]);
        try (ModelRunner runner = loader.load("mnist", "7", TinyModels.digits(0), null)) {
            // when
            runner.run(List.of(frame));
            runner.run(List.of(frame));
        }

        // then
        assertThat(meters.get("mecgw.inference.runs")
                        .tag("model", "mnist")
                        .tag("version", "7")
                        .timer()
                        .count())
                .isEqualTo(2);
        assertThat(meters.get("mecgw.inference.errors")
                        .tag("model", "mnist")
                        .counter()
                        .count())
                .isZero();
    }

    @Test
    void shouldReproduceReferencesWhenInputsAreWrittenInPlaceIntoTheReusedBuffer() {
        // given both VWW reference inputs, run alternately so that each run overwrites the previous input
        List<Path> sets = vwwDataSets();
        try (ModelRunner runner = loader.load("vww", "1", SharedModels.bytes("vww-mobilenetv1-96"), null)) {
            for (Path set : List.of(sets.get(0), sets.get(1), sets.get(0))) {
                FloatTensor input = SharedModels.inputs(set, runner.signature()).get(0);

                // when
                List<FloatTensor> actual =
                        runner.run(input.name(), input.shape(), buffer -> buffer.put(0, input.data()));

                // then
                assertClose(
                        actual.get(0).data(),
                        SharedModels.tensors(set, "output_").get(0).data());
            }
        }
    }

    @Test
    void shouldKeepEarlierOutputsAndSeparateThreadsWhenOutputTensorsAreReused() throws Exception {
        // given VWW (fixed output shape, so runs write into reused per-thread output tensors) and its two references
        List<Path> sets = vwwDataSets();
        try (ModelRunner runner = loader.load("vww", "1", SharedModels.bytes("vww-mobilenetv1-96"), null)) {
            FloatTensor first =
                    SharedModels.inputs(sets.get(0), runner.signature()).get(0);
            FloatTensor second =
                    SharedModels.inputs(sets.get(1), runner.signature()).get(0);

            // when: a run, a run on another input on this thread, and one on another thread
            float[] kept = runner.run(List.of(first)).get(0).data();
            runner.run(List.of(second));
            java.util.concurrent.CompletableFuture<float[]> other = java.util.concurrent.CompletableFuture.supplyAsync(
                    () -> runner.run(List.of(second)).get(0).data());

            // then: the first result is still its own, and the other thread got the second reference
            assertClose(
                    kept, SharedModels.tensors(sets.get(0), "output_").get(0).data());
            assertClose(
                    other.get(),
                    SharedModels.tensors(sets.get(1), "output_").get(0).data());
            assertClose(runner.run(List.of(first)).get(0).data(), kept);
        }
    }

    @Test
    void shouldScoreEachRowAsAloneWhenTheBatchSizeChangesBetweenRuns() {
        // given a model with a free batch dimension and three windows
        double[] series = new double[64];
        for (int i = 0; i < series.length; i++) {
            series[i] = 20 + Math.sin(i);
        }
        var fitted = new dev.mecgw.inference.sensor.RobustZScoreFitter().fit("z", "1", List.of(series), 4, 1.5);
        float[] three = {20, 21, 19, 20, 30, 10, 20, 20, 20, 20, 20, 20};
        try (ModelRunner runner = loader.load("z", "1", fitted.onnx(), null)) {
            String name = runner.signature().inputs().get(0).name();

            // when: a batch of three, then the middle window alone, then the three again
            float[] batch = runner.run(List.of(new FloatTensor(name, new long[] {3, 4}, three)))
                    .get(0)
                    .data();
            float[] alone = runner.run(List.of(
                            new FloatTensor(name, new long[] {1, 4}, java.util.Arrays.copyOfRange(three, 4, 8))))
                    .get(0)
                    .data();
            float[] again = runner.run(List.of(new FloatTensor(name, new long[] {3, 4}, three)))
                    .get(0)
                    .data();

            // then
            assertThat(alone).containsExactly(batch[1]);
            assertThat(again).containsExactly(batch);
        }
    }

    @Test
    void shouldRejectInPlaceInputWhenAShapeDimensionIsNotPositive() {
        try (ModelRunner runner = loader.load("mnist", "1", TinyModels.digits(0), null)) {
            // when / then
            assertThatThrownBy(() -> runner.run("Input3", new long[] {-1, 1, 28, 28}, buffer -> {}))
                    .isInstanceOfSatisfying(
                            InferenceException.class,
                            e -> assertThat(e.reason()).isEqualTo(InferenceException.Reason.INVALID_INPUT));
        }
    }

    private static List<Path> vwwDataSets() {
        return List.of(SharedModels.dataSet("vww-mobilenetv1-96", 0), SharedModels.dataSet("vww-mobilenetv1-96", 1));
    }

    /** Relative 1e-5 plus absolute 1e-3: MNIST's reference came from CNTK with logits up to 6.6e3. */
    static void assertClose(float[] actual, float[] expected) {
        assertThat(actual).hasSameSizeAs(expected);
        for (int i = 0; i < expected.length; i++) {
            double tolerance = 1e-3 + 1e-5 * Math.abs(expected[i]);
            assertThat((double) actual[i])
                    .as("element %d", i)
                    .isCloseTo(expected[i], org.assertj.core.data.Offset.offset(tolerance));
        }
    }
}
