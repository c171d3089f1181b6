package dev.mecgw.inference.model;

import dev.mecgw.inference.onnx.FloatTensor;
import java.nio.FloatBuffer;
import java.util.List;
import java.util.function.Consumer;

/**
 * The right to run one model version until closed. A hot swap during the lease does not affect it; the old
 * session is released when the last lease on it closes. Use with try-with-resources; not for sharing
 * between threads beyond the run itself.
 */
public final class ModelLease implements AutoCloseable {

    private final LoadedModel model;
    private boolean closed;

    ModelLease(LoadedModel model) {
        this.model = model;
    }

    /** Metadata of the leased version. */
    public ModelMetadata metadata() {
        return model.metadata();
    }

    /** Runs the leased version; see {@link dev.mecgw.inference.onnx.ModelRunner#run}. */
    public List<FloatTensor> run(List<FloatTensor> inputs) {
        checkOpen();
        return model.runner().run(inputs);
    }

    /** Runs the leased version on an input written in place; see {@link dev.mecgw.inference.onnx.ModelRunner#run(String, long[], Consumer)}. */
    public List<FloatTensor> run(String inputName, long[] shape, Consumer<FloatBuffer> writer) {
        checkOpen();
        return model.runner().run(inputName, shape, writer);
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("Lease on " + metadata().name() + " is closed");
        }
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            model.release();
        }
    }
}
