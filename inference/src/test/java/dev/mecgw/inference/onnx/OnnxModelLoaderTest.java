package dev.mecgw.inference.onnx;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mecgw.inference.model.FileModelRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** ONNX Runtime starts with the first model, never with the loader (issue 22 item 4). */
class OnnxModelLoaderTest {

    @TempDir
    Path dir;

    private final AtomicInteger starts = new AtomicInteger();

    @Test
    void shouldNotStartOnnxRuntimeWhenNoModelIsInstalled() {
        // given a loader whose runtime fails the test if it is ever started
        OnnxModelLoader loader = givenALoader(SessionSettings.defaults(), () -> {
            throw new AssertionError("ONNX Runtime started without a model");
        });

        // when the gateway starts its registry on an empty models folder
        try (FileModelRegistry registry = new FileModelRegistry(dir, loader)) {
            assertThat(registry.loadInstalled()).isZero();
        }

        // then
        assertThat(starts.get()).isZero();
        assertThat(loader.runtimeStarted()).isFalse();
        assertThat(loader.executionProvider()).isEqualTo("CPU");
    }

    @Test
    void shouldStartOnnxRuntimeOnceWhenModelsLoad() {
        // given
        OnnxModelLoader loader = givenALoader(SessionSettings.defaults(), OnnxModelLoader.OrtRuntime::start);

        // when two models load
        try (ModelRunner digits = loader.load("digits", "1", TinyModels.digits(0), null);
                ModelRunner autoencoder = loader.load("ae", "1", TinyModels.autoencoder(4, 1f), null)) {

            // then one runtime serves both
            assertThat(starts).hasValue(1);
            assertThat(loader.runtimeStarted()).isTrue();
            assertThat(digits.signature().outputs()).hasSize(1);
            assertThat(autoencoder.signature().inputs()).hasSize(1);
        }
    }

    @Test
    void shouldReportCudaIfPresentUntilTheFirstModelLoadsWhenCudaIsConfigured() {
        // given CUDA configured; this machine's ONNX Runtime is the CPU build
        SessionSettings cuda = new SessionSettings(1, 1, SessionSettings.Optimization.ALL, true);
        OnnxModelLoader loader = givenALoader(cuda, OnnxModelLoader.OrtRuntime::start);
        assertThat(loader.executionProvider()).isEqualTo("CUDA if present");

        // when
        loader.load("ae", "1", TinyModels.autoencoder(4, 1f), null).close();

        // then
        assertThat(loader.executionProvider()).isEqualTo("CPU");
        assertThat(starts).hasValue(1);
    }

    private OnnxModelLoader givenALoader(SessionSettings settings, Supplier<OnnxModelLoader.OrtRuntime> runtime) {
        return new OnnxModelLoader(settings, new SimpleMeterRegistry(), () -> {
            starts.incrementAndGet();
            return runtime.get();
        });
    }
}
