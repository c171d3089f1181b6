package dev.mecgw.inference.onnx;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs one ONNX Runtime session. Every native tensor created or returned for a run is closed before
 * {@link #run} returns, so a long-lived gateway does not leak off-heap memory.
 */
public final class OnnxModelRunner implements ModelRunner {

    private final OrtEnvironment environment;
    private final OrtSession session;
    private final ModelSignature signature;
    private final ModelMetrics metrics;
    /**
     * Direct input buffers per worker thread and input: handing ONNX Runtime a heap buffer makes it allocate
     * and zero a fresh direct buffer on every run, which costs more than a small model's run.
     */
    private final ThreadLocal<Map<String, FloatBuffer>> inputBuffers = ThreadLocal.withInitial(HashMap::new);

    OnnxModelRunner(OrtEnvironment environment, OrtSession session, ModelSignature signature, ModelMetrics metrics) {
        this.environment = environment;
        this.session = session;
        this.signature = signature;
        this.metrics = metrics;
    }

    @Override
    public ModelSignature signature() {
        return signature;
    }

    @Override
    public List<FloatTensor> run(List<FloatTensor> inputs) {
        check(inputs);
        long start = System.nanoTime();
        try {
            List<FloatTensor> outputs = invoke(inputs);
            metrics.runs().record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
            return outputs;
        } catch (OrtException | RuntimeException e) {
            metrics.errors().increment();
            throw new InferenceException(InferenceException.Reason.RUN_FAILED, "Model run failed: " + e.getMessage(), e);
        }
    }

    private List<FloatTensor> invoke(List<FloatTensor> inputs) throws OrtException {
        Map<String, OnnxTensor> feeds = new HashMap<>();
        try {
            for (FloatTensor input : inputs) {
                feeds.put(input.name(), OnnxTensor.createTensor(environment, direct(input), input.shape()));
            }
            try (OrtSession.Result result = session.run(feeds)) {
                List<FloatTensor> outputs = new ArrayList<>(result.size());
                for (Map.Entry<String, OnnxValue> entry : result) {
                    outputs.add(copy(entry.getKey(), (OnnxTensor) entry.getValue()));
                }
                return outputs;
            }
        } finally {
            feeds.values().forEach(OnnxTensor::close);
        }
    }

    private FloatBuffer direct(FloatTensor input) {
        FloatBuffer buffer = inputBuffers.get().compute(input.name(), (name, old) ->
                old != null && old.capacity() == input.data().length ? old
                        : ByteBuffer.allocateDirect(input.data().length * Float.BYTES).order(ByteOrder.nativeOrder())
                                .asFloatBuffer());
        buffer.clear();
        buffer.put(input.data());
        buffer.flip();
        return buffer;
    }

    private static FloatTensor copy(String name, OnnxTensor tensor) {
        FloatBuffer buffer = tensor.getFloatBuffer();
        float[] data = new float[buffer.remaining()];
        buffer.get(data);
        return new FloatTensor(name, tensor.getInfo().getShape(), data);
    }

    private void check(List<FloatTensor> inputs) {
        for (TensorSpec spec : signature.inputs()) {
            FloatTensor given = inputs.stream().filter(t -> t.name().equals(spec.name())).findFirst()
                    .orElseThrow(() -> new InferenceException(InferenceException.Reason.INVALID_INPUT,
                            "Missing input '" + spec.name() + "'"));
            if (!spec.accepts(given.shape())) {
                throw new InferenceException(InferenceException.Reason.INVALID_INPUT,
                        "Input " + given + " does not fit " + spec);
            }
        }
        if (inputs.size() != signature.inputs().size()) {
            throw new InferenceException(InferenceException.Reason.INVALID_INPUT, "Model takes "
                    + signature.inputs().size() + " inputs, got " + inputs.size());
        }
    }

    @Override
    public void close() {
        try {
            session.close();
        } catch (OrtException e) {
            throw new IllegalStateException("Closing the session failed", e);
        }
    }
}
