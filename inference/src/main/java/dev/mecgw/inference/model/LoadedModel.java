package dev.mecgw.inference.model;

import dev.mecgw.inference.onnx.ModelRunner;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A model version with a reference count: the registry holds one reference while the version is current,
 * each lease holds one more. The session closes when the last reference goes, so a hot swap never pulls a
 * session from under a run in flight.
 */
final class LoadedModel {

    private final ModelMetadata metadata;
    private final ModelRunner runner;
    private final AtomicInteger references = new AtomicInteger(1);

    LoadedModel(ModelMetadata metadata, ModelRunner runner) {
        this.metadata = metadata;
        this.runner = runner;
    }

    ModelMetadata metadata() {
        return metadata;
    }

    ModelRunner runner() {
        return runner;
    }

    /** Takes a reference unless the model is already closed; the caller retries on the new current model. */
    boolean retain() {
        while (true) {
            int count = references.get();
            if (count == 0) {
                return false;
            }
            if (references.compareAndSet(count, count + 1)) {
                return true;
            }
        }
    }

    void release() {
        if (references.decrementAndGet() == 0) {
            runner.close();
        }
    }
}
