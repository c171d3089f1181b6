package dev.mecgw.inference.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mecgw.inference.onnx.FloatTensor;
import dev.mecgw.inference.onnx.InferenceException;
import dev.mecgw.inference.onnx.InferenceException.Reason;
import dev.mecgw.inference.onnx.OnnxModelLoader;
import dev.mecgw.inference.onnx.SessionSettings;
import dev.mecgw.inference.onnx.TensorSpec;
import dev.mecgw.inference.onnx.TinyModels;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileModelRegistryTest {

    // Built here (Tribuo's ONNX writer) with mnist-8's and the toycar autoencoder's names and shapes, so the
    // registry's mechanics need no fixture (issue 16).
    private static final byte[] MNIST = TinyModels.digits(0);
    private static final byte[] TOYCAR = TinyModels.autoencoder(640, 1f);

    @TempDir
    Path dir;

    private final OnnxModelLoader loader = new OnnxModelLoader(SessionSettings.defaults(), new SimpleMeterRegistry());
    private FileModelRegistry registry;

    @AfterEach
    void closeRegistry() {
        if (registry != null) {
            registry.close();
        }
    }

    @Test
    void shouldServeModelWhenInstalledWithMatchingHashAndSignature() {
        // given
        registry = givenARegistry();

        // when
        registry.install(mnist("1"), MNIST);

        // then
        try (ModelLease lease = registry.lease("digits")) {
            assertThat(lease.metadata().version()).isEqualTo("1");
            assertThat(argmax(lease.run(List.of(digitInput())).get(0).data())).isEqualTo(2);
        }
        assertThat(dir.resolve("digits/CURRENT")).hasContent("1");
        assertThat(dir.resolve("digits/1/model.onnx")).exists();
    }

    @Test
    void shouldKeepServingPreviousVersionWhenNewVersionIsCorrupt() {
        // given
        registry = givenARegistry();
        registry.install(mnist("1"), MNIST);
        byte[] corrupt = Arrays.copyOf(MNIST, MNIST.length / 2);

        // when / then
        assertThatThrownBy(() -> registry.install(mnist("2").withSha256(FileModelRegistry.sha256(corrupt)), corrupt))
                .isInstanceOfSatisfying(
                        InferenceException.class, e -> assertThat(e.reason()).isEqualTo(Reason.CORRUPT_MODEL));
        assertThat(registry.current("digits"))
                .get()
                .extracting(ModelMetadata::version)
                .isEqualTo("1");
        assertThat(dir.resolve("digits/2")).doesNotExist();
        try (ModelLease lease = registry.lease("digits")) {
            assertThat(lease.run(List.of(digitInput()))).hasSize(1);
        }
    }

    @Test
    void shouldRejectUploadWhenHashDiffersOrSignatureMismatches() {
        // given
        registry = givenARegistry();
        registry.install(mnist("1"), MNIST);
        ModelMetadata wrongShape = new ModelMetadata(
                "digits",
                "3",
                ModelKind.VISION,
                Head.CLASSIFICATION,
                FileModelRegistry.sha256(TOYCAR),
                List.of(new TensorSpec("Input3", new long[] {1, 1, 28, 28})),
                List.of(new TensorSpec("Plus214_Output_0", new long[] {1, 10})),
                grayscale28(),
                Map.of(),
                List.of());

        // when / then
        assertThatThrownBy(() -> registry.install(mnist("2").withSha256("0".repeat(64)), MNIST))
                .isInstanceOfSatisfying(
                        InferenceException.class, e -> assertThat(e.reason()).isEqualTo(Reason.CHECKSUM_MISMATCH));
        assertThatThrownBy(() -> registry.install(wrongShape, TOYCAR))
                .isInstanceOfSatisfying(
                        InferenceException.class, e -> assertThat(e.reason()).isEqualTo(Reason.SIGNATURE_MISMATCH))
                .hasMessageContaining("declared input 'Input3' is not in the model");
        assertThat(registry.current("digits"))
                .get()
                .extracting(ModelMetadata::version)
                .isEqualTo("1");
    }

    @Test
    void shouldRejectMetadataWhenNameCouldEscapeTheFolder() {
        // given
        registry = givenARegistry();
        ModelMetadata evil = new ModelMetadata(
                "../etc",
                "1",
                ModelKind.VISION,
                Head.CLASSIFICATION,
                FileModelRegistry.sha256(MNIST),
                mnist("1").inputs(),
                mnist("1").outputs(),
                grayscale28(),
                Map.of(),
                List.of());

        // when / then
        assertThatThrownBy(() -> registry.install(evil, MNIST))
                .isInstanceOfSatisfying(
                        InferenceException.class, e -> assertThat(e.reason()).isEqualTo(Reason.INVALID_METADATA))
                .hasMessageContaining("name must match");
    }

    @Test
    void shouldFinishInFlightRunOnOldSessionWhenSwappedThenCloseIt() {
        // given a run in flight on version 1
        registry = givenARegistry();
        registry.install(mnist("1"), MNIST);
        ModelLease inFlight = registry.lease("digits");

        // when version 2 is swapped in
        registry.install(mnist("2"), MNIST);

        // then the old lease still runs on version 1, new leases get version 2
        assertThat(inFlight.run(List.of(digitInput()))).hasSize(1);
        assertThat(inFlight.metadata().version()).isEqualTo("1");
        try (ModelLease fresh = registry.lease("digits")) {
            assertThat(fresh.metadata().version()).isEqualTo("2");
        }
        inFlight.close();
        assertThat(dir.resolve("digits/CURRENT")).hasContent("2");
    }

    @Test
    void shouldNeverFailARunWhenVersionsAreSwappedUnderLoad() throws Exception {
        // given two threads running the model continuously
        registry = givenARegistry();
        registry.install(mnist("1"), MNIST);
        java.util.concurrent.atomic.AtomicBoolean running = new java.util.concurrent.atomic.AtomicBoolean(true);
        java.util.concurrent.atomic.AtomicInteger runs = new java.util.concurrent.atomic.AtomicInteger();
        java.util.List<Throwable> failures = new java.util.concurrent.CopyOnWriteArrayList<>();
        java.util.List<Thread> runners = new java.util.ArrayList<>();
        for (int t = 0; t < 2; t++) {
            Thread thread = new Thread(() -> {
                while (running.get()) {
                    try (ModelLease lease = registry.lease("digits")) {
                        lease.run(List.of(digitInput()));
                        runs.incrementAndGet();
                    } catch (Throwable e) {
                        failures.add(e);
                    }
                }
            });
            thread.start();
            runners.add(thread);
        }

        // when versions 2..6 are swapped in while they run
        for (int v = 2; v <= 6; v++) {
            int before = runs.get();
            registry.install(mnist(Integer.toString(v)), MNIST);
            // an install (hash, signature, ONNX session) while both runners spin on a loaded 2-core machine
            org.awaitility.Awaitility.await()
                    .atMost(java.time.Duration.ofSeconds(60))
                    .until(() -> runs.get() > before + 2);
        }
        running.set(false);
        for (Thread thread : runners) {
            thread.join(10_000);
        }

        // then
        assertThat(failures).isEmpty();
        assertThat(registry.current("digits"))
                .get()
                .extracting(ModelMetadata::version)
                .isEqualTo("6");
    }

    @Test
    void shouldRestoreCurrentVersionsWhenRestarted() {
        // given
        registry = givenARegistry();
        registry.install(mnist("1"), MNIST);
        registry.install(mnist("2"), MNIST);
        registry.close();

        // when
        registry = givenARegistry();
        int active = registry.loadInstalled();

        // then
        assertThat(active).isEqualTo(1);
        assertThat(registry.current("digits"))
                .get()
                .extracting(ModelMetadata::version)
                .isEqualTo("2");
        assertThat(registry.list()).extracting(ModelMetadata::name).containsExactly("digits");
    }

    @Test
    void shouldServeAStoredVersionAgainAndKeepItAfterARestartWhenRolledBack() {
        // given two installed versions, the second current
        registry = givenARegistry();
        registry.install(mnist("1"), MNIST);
        registry.install(mnist("2"), MNIST);
        assertThat(registry.versions("digits")).containsExactlyInAnyOrder("1", "2");

        // when
        registry.activate("digits", "1");

        // then it serves, and stays current after a restart
        try (ModelLease lease = registry.lease("digits")) {
            assertThat(lease.metadata().version()).isEqualTo("1");
        }
        registry.close();
        registry = givenARegistry();
        registry.loadInstalled();
        assertThat(registry.current("digits"))
                .get()
                .extracting(ModelMetadata::version)
                .isEqualTo("1");
    }

    @Test
    void shouldKeepTheCurrentVersionWhenRollingBackToAnUnknownOrBrokenVersion() throws Exception {
        // given
        registry = givenARegistry();
        registry.install(mnist("1"), MNIST);
        registry.install(mnist("2"), MNIST);
        Files.write(dir.resolve("digits/1/model.onnx"), TOYCAR);

        // when / then
        assertThatThrownBy(() -> registry.activate("digits", "9"))
                .isInstanceOfSatisfying(
                        InferenceException.class, e -> assertThat(e.reason()).isEqualTo(Reason.NOT_FOUND));
        assertThatThrownBy(() -> registry.activate("digits", "1"))
                .isInstanceOfSatisfying(
                        InferenceException.class, e -> assertThat(e.reason()).isEqualTo(Reason.CHECKSUM_MISMATCH));
        assertThat(registry.versions("../digits")).isEmpty();
        assertThat(registry.current("digits"))
                .get()
                .extracting(ModelMetadata::version)
                .isEqualTo("2");
    }

    @Test
    void shouldRejectSameVersionWhenBytesDiffer() throws Exception {
        // given
        registry = givenARegistry();
        registry.install(mnist("1"), MNIST);
        Files.write(dir.resolve("digits/1/model.onnx"), TOYCAR);

        // when / then
        assertThatThrownBy(() -> registry.install(mnist("1"), MNIST))
                .isInstanceOfSatisfying(
                        InferenceException.class, e -> assertThat(e.reason()).isEqualTo(Reason.VERSION_EXISTS));
    }

    @Test
    void shouldRejectVisionMetadataWhenPreprocessingDoesNotFitTheInput() {
        // given a 32x32 preprocessing for a 28x28 input
        registry = givenARegistry();
        ModelMetadata declared = new ModelMetadata(
                "digits",
                "1",
                ModelKind.VISION,
                Head.CLASSIFICATION,
                FileModelRegistry.sha256(MNIST),
                mnist("1").inputs(),
                mnist("1").outputs(),
                new Preprocessing(
                        32,
                        32,
                        Preprocessing.Colors.GRAY,
                        Preprocessing.Layout.NCHW,
                        Preprocessing.Resize.STRETCH,
                        1f,
                        new float[] {0f},
                        new float[] {1f}),
                Map.of(),
                List.of());

        // when / then
        assertThatThrownBy(() -> registry.install(declared, MNIST))
                .isInstanceOfSatisfying(
                        InferenceException.class, e -> assertThat(e.reason()).isEqualTo(Reason.INVALID_METADATA))
                .hasMessageContaining("preprocessing produces [1, 1, 32, 32] but input 'Input3' is [1, 1, 28, 28]");
        assertThat(registry.current("digits")).isEmpty();
    }

    private FileModelRegistry givenARegistry() {
        return new FileModelRegistry(dir, loader);
    }

    static ModelMetadata mnist(String version) {
        return new ModelMetadata(
                "digits",
                version,
                ModelKind.VISION,
                Head.CLASSIFICATION,
                FileModelRegistry.sha256(MNIST),
                List.of(new TensorSpec("Input3", new long[] {1, 1, 28, 28})),
                List.of(new TensorSpec("Plus214_Output_0", new long[] {1, 10})),
                grayscale28(),
                Map.of("topK", 3.0),
                List.of("0", "1", "2", "3", "4", "5", "6", "7", "8", "9"));
    }

    static Preprocessing grayscale28() {
        return new Preprocessing(
                28,
                28,
                Preprocessing.Colors.GRAY,
                Preprocessing.Layout.NCHW,
                Preprocessing.Resize.STRETCH,
                1f,
                new float[] {0f},
                new float[] {1f});
    }

    /** A frame the tiny digits model reads as a "2" (its class is the mean pixel value, rounded). */
    private static FloatTensor digitInput() {
        float[] pixels = new float[28 * 28];
        Arrays.fill(pixels, 2f);
        return new FloatTensor("Input3", new long[] {1, 1, 28, 28}, pixels);
    }

    private static int argmax(float[] values) {
        int best = 0;
        for (int i = 1; i < values.length; i++) {
            best = values[i] > values[best] ? i : best;
        }
        return best;
    }
}
