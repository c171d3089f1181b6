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
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.jboss.logging.Logger;

/**
 * Runs one ONNX Runtime session. Every native tensor a run returns is closed before {@link #run} returns;
 * the input tensors, and the output tensors of a model whose outputs all have fixed shapes, are kept per
 * worker thread and reused (see {@link Feed}) and closed with the runner, so a long-lived gateway does not
 * leak off-heap memory.
 */
final class OnnxModelRunner implements ModelRunner {

    private static final Logger LOG = Logger.getLogger(OnnxModelRunner.class);

    private final OrtEnvironment environment;
    private final OrtSession session;
    private final ModelSignature signature;
    private final ModelMetrics metrics;
    /** Input tensors per worker thread and input name. */
    private final ThreadLocal<Map<String, Feed>> feeds = ThreadLocal.withInitial(HashMap::new);
    /** Output tensors per worker thread and output name, when {@link #pinOutputs}. */
    private final ThreadLocal<Map<String, Feed>> outputFeeds = ThreadLocal.withInitial(HashMap::new);
    /** Every feed of every thread, to close them with the session. */
    private final Set<Feed> open = ConcurrentHashMap.newKeySet();
    /**
     * Whether runs write into this thread's output tensors instead of tensors ONNX Runtime allocates and
     * frees per run. Measured on UltraFace (two outputs, 106 kB) right after a preprocessing pass, as in the
     * vision pipeline: runtime-allocated outputs copied out cost 0.4-0.6 ms (p10/p50) more than reused ones
     * (docs/benchmarks.md, inference, 2026-11-27 21:30); in a loop of bare runs the two are alike. Only for
     * fixed output shapes; switched off for good if the runtime refuses them (a wrongly declared shape).
     */
    private volatile boolean pinOutputs;

    OnnxModelRunner(OrtEnvironment environment, OrtSession session, ModelSignature signature, ModelMetrics metrics) {
        this.environment = environment;
        this.session = session;
        this.signature = signature;
        this.metrics = metrics;
        this.pinOutputs = signature.outputs().stream()
                .allMatch(o -> Arrays.stream(o.shape()).allMatch(d -> d > 0));
    }

    @Override
    public ModelSignature signature() {
        return signature;
    }

    @Override
    public List<FloatTensor> run(List<FloatTensor> inputs) {
        check(inputs.stream().map(t -> new TensorSpec(t.name(), t.shape())).toList());
        long start = System.nanoTime();
        try {
            Map<String, OnnxTensor> tensors = new HashMap<>();
            for (FloatTensor input : inputs) {
                Feed feed = feed(feeds.get(), input.name(), input.shape());
                feed.buffer.put(0, input.data());
                tensors.put(input.name(), feed.tensor);
            }
            return invoke(tensors, start);
        } catch (OrtException | RuntimeException e) {
            throw failed(e);
        }
    }

    @Override
    public List<FloatTensor> run(String inputName, long[] shape, Consumer<FloatBuffer> writer) {
        check(List.of(new TensorSpec(inputName, shape)));
        long start = System.nanoTime();
        Feed feed;
        try {
            feed = feed(feeds.get(), inputName, shape);
        } catch (OrtException | RuntimeException e) {
            throw failed(e);
        }
        writer.accept(feed.buffer);
        try {
            return invoke(Map.of(inputName, feed.tensor), start);
        } catch (OrtException | RuntimeException e) {
            throw failed(e);
        }
    }

    private List<FloatTensor> invoke(Map<String, OnnxTensor> inputs, long start) throws OrtException {
        List<FloatTensor> outputs = pinOutputs ? invokePinned(inputs) : invokeAllocating(inputs);
        metrics.runs().record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
        return outputs;
    }

    /** Runs into output tensors the runtime allocates, and copies them out. */
    private List<FloatTensor> invokeAllocating(Map<String, OnnxTensor> inputs) throws OrtException {
        try (OrtSession.Result result = session.run(inputs)) {
            List<FloatTensor> outputs = new ArrayList<>(result.size());
            for (Map.Entry<String, OnnxValue> entry : result) {
                outputs.add(copy(entry.getKey(), (OnnxTensor) entry.getValue()));
            }
            return outputs;
        }
    }

    /**
     * Runs into this thread's output tensors and copies them out. When the runtime refuses them, the run is made
     * with runtime-allocated outputs instead, and this runner stops pinning.
     */
    private List<FloatTensor> invokePinned(Map<String, OnnxTensor> inputs) throws OrtException {
        Map<String, Feed> mine = outputFeeds.get();
        Map<String, OnnxTensor> pinned = new LinkedHashMap<>();
        for (TensorSpec spec : signature.outputs()) {
            pinned.put(spec.name(), feed(mine, spec.name(), spec.shape()).tensor);
        }
        try (OrtSession.Result ignored = session.run(inputs, pinned)) {
            List<FloatTensor> outputs = new ArrayList<>(pinned.size());
            for (TensorSpec spec : signature.outputs()) {
                Feed feed = mine.get(spec.name());
                float[] data = new float[feed.buffer.limit()];
                feed.buffer.get(0, data);
                outputs.add(new FloatTensor(spec.name(), feed.shape.clone(), data));
            }
            return outputs;
        } catch (OrtException refused) {
            List<FloatTensor> outputs;
            try {
                outputs = invokeAllocating(inputs);
            } catch (OrtException e) {
                e.addSuppressed(refused);
                throw e;
            }
            pinOutputs = false;
            LOG.warnf(
                    "Model outputs %s refused fixed-shape output tensors (%s); runs allocate them from now on",
                    signature.outputs(), refused.getMessage());
            return outputs;
        }
    }

    private InferenceException failed(Exception e) {
        metrics.errors().increment();
        return new InferenceException(InferenceException.Reason.RUN_FAILED, "Model run failed: " + e.getMessage(), e);
    }

    /**
     * This thread's tensor for the input (or output) in {@code mine}, over a native buffer of the runtime's
     * byte order: ONNX Runtime reads such a buffer in place, whereas a heap buffer makes it allocate and zero a
     * fresh direct one per run, which costs more than a small model's run. A new shape (a smaller last sensor
     * batch) makes a new tensor over the same buffer when it fits.
     */
    private Feed feed(Map<String, Feed> mine, String name, long[] shape) throws OrtException {
        Feed feed = mine.get(name);
        if (feed != null && Arrays.equals(feed.shape, shape)) {
            return feed;
        }
        int elements = (int) TensorSpec.elements(shape);
        FloatBuffer memory = feed != null && feed.memory.capacity() >= elements
                ? feed.memory
                : ByteBuffer.allocateDirect(elements * Float.BYTES)
                        .order(ByteOrder.nativeOrder())
                        .asFloatBuffer();
        if (feed != null) {
            open.remove(feed);
            feed.tensor.close();
        }
        FloatBuffer view = memory.duplicate().clear().limit(elements).slice();
        Feed created = new Feed(shape.clone(), memory, view, OnnxTensor.createTensor(environment, view, shape));
        mine.put(name, created);
        open.add(created);
        return created;
    }

    /**
     * One thread's input: the native memory, the view of it the tensor covers, and the tensor. Identity
     * equality on purpose (a buffer's equals compares contents).
     */
    private static final class Feed {
        final long[] shape;
        final FloatBuffer memory;
        final FloatBuffer buffer;
        final OnnxTensor tensor;

        Feed(long[] shape, FloatBuffer memory, FloatBuffer buffer, OnnxTensor tensor) {
            this.shape = shape;
            this.memory = memory;
            this.buffer = buffer;
            this.tensor = tensor;
        }
    }

    private static FloatTensor copy(String name, OnnxTensor tensor) {
        FloatBuffer buffer = tensor.getFloatBuffer();
        float[] data = new float[buffer.remaining()];
        buffer.get(data);
        return new FloatTensor(name, tensor.getInfo().getShape(), data);
    }

    private void check(List<TensorSpec> inputs) {
        for (TensorSpec given : inputs) {
            if (Arrays.stream(given.shape()).anyMatch(dim -> dim <= 0)) {
                throw new InferenceException(
                        InferenceException.Reason.INVALID_INPUT, "Input " + given + " has a non-positive dimension");
            }
        }
        for (TensorSpec spec : signature.inputs()) {
            TensorSpec given = inputs.stream()
                    .filter(t -> t.name().equals(spec.name()))
                    .findFirst()
                    .orElseThrow(() -> new InferenceException(
                            InferenceException.Reason.INVALID_INPUT, "Missing input '" + spec.name() + "'"));
            if (!spec.accepts(given.shape())) {
                throw new InferenceException(
                        InferenceException.Reason.INVALID_INPUT, "Input " + given + " does not fit " + spec);
            }
        }
        if (inputs.size() != signature.inputs().size()) {
            throw new InferenceException(
                    InferenceException.Reason.INVALID_INPUT,
                    "Model takes " + signature.inputs().size() + " inputs, got " + inputs.size());
        }
    }

    @Override
    public void close() {
        open.forEach(feed -> feed.tensor.close());
        open.clear();
        try {
            session.close();
        } catch (OrtException e) {
            throw new IllegalStateException("Closing the session failed", e);
        }
    }
}
