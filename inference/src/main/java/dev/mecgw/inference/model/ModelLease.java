package dev.mecgw.inference.model;

import dev.mecgw.inference.onnx.FloatTensor;
import java.util.List;

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
        if (closed) {
            throw new IllegalStateException("Lease on " + metadata().name() + " is closed");
        }
        return model.runner().run(inputs);
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            model.release();
        }
    }
}
