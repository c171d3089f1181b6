package dev.mecgw.inference.onnx;

import java.nio.FloatBuffer;
import java.util.List;
import java.util.function.Consumer;

/**
 * Invokes one loaded model. Loading is someone else's job ({@link OnnxModelLoader}), so a runner is always
 * ready. Implementations are thread-safe: several threads may call {@link #run} at once.
 */
public interface ModelRunner extends AutoCloseable {

    /** The graph's actual inputs and outputs. */
    ModelSignature signature();

    /**
     * Runs the model once. Blocks the calling thread for the duration of the run; call it from an inference
     * worker, never from an event loop.
     *
     * @param inputs one tensor per graph input, matched by name
     * @return every graph output, in graph order
     * @throws InferenceException with {@code INVALID_INPUT} for a missing or misshapen input,
     *         {@code RUN_FAILED} when the runtime fails
     */
    List<FloatTensor> run(List<FloatTensor> inputs);

    /**
     * Runs a single-input model on an input that {@code writer} writes straight into the native buffer the
     * runtime reads, which the runner reuses per thread: no array, no copy. Blocks like {@link #run(List)}.
     *
     * @param inputName the graph input
     * @param shape the input's concrete shape
     * @param writer fills indices 0..product(shape) of the buffer it is given, by absolute puts; the buffer
     *        holds the calling thread's previous input, so every element must be written. Called on this
     *        thread before the run; what it throws propagates unchanged and is not counted as a run error
     * @return every graph output, in graph order
     * @throws InferenceException as {@link #run(List)}
     */
    List<FloatTensor> run(String inputName, long[] shape, Consumer<FloatBuffer> writer);

    /** Releases the native session; later calls to {@link #run} fail. */
    @Override
    void close();
}
