package dev.mecgw.inference.onnx;

import java.util.List;

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

    /** Releases the native session; later calls to {@link #run} fail. */
    @Override
    void close();
}
