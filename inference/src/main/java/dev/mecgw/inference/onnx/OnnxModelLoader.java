package dev.mecgw.inference.onnx;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtLoggingLevel;
import ai.onnxruntime.OrtProvider;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * Builds ONNX Runtime sessions from model bytes and checks them against the declared signature. Loading is
 * kept apart from invocation so that a model that fails to load never replaces one that runs.
 *
 * <p>ONNX Runtime itself (its environment, and with it its 21 MiB native library, extracted to a temp file and
 * loaded) starts with the first model loaded, not with the loader: a gateway with no model never loads it
 * (issue 22 item 4: natively the library's bytes are part of the executable, and reading them made them resident).
 */
public final class OnnxModelLoader implements ModelLoader {

    private static final Logger LOG = Logger.getLogger(OnnxModelLoader.class);

    private final SessionSettings settings;
    private final MeterRegistry meters;
    private final Supplier<OrtRuntime> starter;
    private volatile OrtRuntime runtime;

    public OnnxModelLoader(SessionSettings settings, MeterRegistry meters) {
        this(settings, meters, OrtRuntime::start);
    }

    /** @param starter starts ONNX Runtime; called once, by the first {@link #load} */
    OnnxModelLoader(SessionSettings settings, MeterRegistry meters, Supplier<OrtRuntime> starter) {
        this.settings = settings;
        this.meters = meters;
        this.starter = starter;
    }

    /**
     * The execution provider of the sessions built here, for the start-up line, without starting ONNX Runtime:
     * {@code "CPU"}, {@code "CUDA"}, or, with CUDA configured and no model loaded yet, {@code "CUDA if present"}.
     */
    public String executionProvider() {
        OrtRuntime started = runtime;
        if (!settings.cuda()) {
            return "CPU";
        }
        if (started == null) {
            return "CUDA if present";
        }
        return started.cudaAvailable() ? "CUDA" : "CPU";
    }

    /** Whether ONNX Runtime was started (a model was loaded). */
    public boolean runtimeStarted() {
        return runtime != null;
    }

    /**
     * Loads a model and checks it.
     *
     * @param name model name, used in metric tags and messages
     * @param version model version, used in metric tags and messages
     * @param bytes the ONNX protobuf
     * @param declared the signature the uploader promised, or null to skip the check
     * @return a runner that owns the new session
     * @throws InferenceException {@code CORRUPT_MODEL} when ONNX Runtime rejects the bytes,
     *         {@code SIGNATURE_MISMATCH} when the graph differs from {@code declared}
     */
    @Override
    public ModelRunner load(String name, String version, byte[] bytes, ModelSignature declared) {
        OrtRuntime ort = runtime();
        OrtSession session;
        try (OrtSession.SessionOptions options = options(ort)) {
            session = ort.environment().createSession(bytes, options);
        } catch (OrtException | RuntimeException e) {
            throw new InferenceException(
                    InferenceException.Reason.CORRUPT_MODEL,
                    "Model " + name + " " + version + " does not load: " + firstLine(e.getMessage()),
                    e);
        }
        try {
            ModelSignature actual = signatureOf(session);
            if (declared != null) {
                List<String> problems = declared.mismatches(actual);
                if (!problems.isEmpty()) {
                    throw new InferenceException(
                            InferenceException.Reason.SIGNATURE_MISMATCH,
                            "Model " + name + " " + version + " does not match its metadata: "
                                    + String.join("; ", problems));
                }
            }
            return new OnnxModelRunner(ort.environment(), session, actual, ModelMetrics.of(meters, name, version));
        } catch (RuntimeException e) {
            closeQuietly(session, e);
            throw e;
        }
    }

    private OrtRuntime runtime() {
        OrtRuntime started = runtime;
        if (started != null) {
            return started;
        }
        synchronized (this) {
            if (runtime == null) {
                runtime = starter.get();
                if (settings.cuda() && !runtime.cudaAvailable()) {
                    LOG.warn("CUDA execution provider requested but not present in this ONNX Runtime; using the CPU");
                }
            }
            return runtime;
        }
    }

    private OrtSession.SessionOptions options(OrtRuntime ort) throws OrtException {
        OrtSession.SessionOptions options = new OrtSession.SessionOptions();
        options.setIntraOpNumThreads(settings.intraOpThreads());
        options.setInterOpNumThreads(settings.interOpThreads());
        options.setOptimizationLevel(
                switch (settings.optimization()) {
                    case NONE -> OrtSession.SessionOptions.OptLevel.NO_OPT;
                    case BASIC -> OrtSession.SessionOptions.OptLevel.BASIC_OPT;
                    case EXTENDED -> OrtSession.SessionOptions.OptLevel.EXTENDED_OPT;
                    case ALL -> OrtSession.SessionOptions.OptLevel.ALL_OPT;
                });
        // Some exporters list every initializer as a graph input; ORT warns once per weight at WARNING.
        options.setSessionLogLevel(OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR);
        if (settings.cuda() && ort.cudaAvailable()) {
            options.addCUDA(0);
        }
        return options;
    }

    /** ONNX Runtime once started: its environment and whether it has the CUDA execution provider. */
    record OrtRuntime(OrtEnvironment environment, boolean cudaAvailable) {

        /** Loads ONNX Runtime's native library (extracting it first) and creates its environment. */
        static OrtRuntime start() {
            return new OrtRuntime(
                    OrtEnvironment.getEnvironment(),
                    OrtEnvironment.getAvailableProviders().contains(OrtProvider.CUDA));
        }
    }

    static ModelSignature signatureOf(OrtSession session) throws InferenceException {
        try {
            return new ModelSignature(specs(session.getInputInfo()), specs(session.getOutputInfo()));
        } catch (OrtException e) {
            throw new InferenceException(InferenceException.Reason.CORRUPT_MODEL, "Model metadata unreadable", e);
        }
    }

    private static List<TensorSpec> specs(Map<String, NodeInfo> nodes) {
        List<TensorSpec> specs = new ArrayList<>();
        for (NodeInfo node : nodes.values()) {
            if (!(node.getInfo() instanceof TensorInfo tensor) || tensor.type != OnnxJavaType.FLOAT) {
                throw new InferenceException(
                        InferenceException.Reason.SIGNATURE_MISMATCH,
                        "Tensor '" + node.getName() + "' is not float32 (" + node.getInfo() + "); only float32 "
                                + "inputs and outputs are supported");
            }
            specs.add(new TensorSpec(node.getName(), tensor.getShape()));
        }
        return specs;
    }

    private static void closeQuietly(OrtSession session, RuntimeException failure) {
        try {
            session.close();
        } catch (OrtException e) {
            failure.addSuppressed(e);
        }
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "unknown error";
        }
        int newline = message.indexOf('\n');
        String line = newline < 0 ? message : message.substring(0, newline);
        return line.length() > 300 ? line.substring(0, 300) + "..." : line;
    }
}
