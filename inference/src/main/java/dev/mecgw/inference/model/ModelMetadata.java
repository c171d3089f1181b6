package dev.mecgw.inference.model;

import dev.mecgw.inference.onnx.ModelSignature;
import dev.mecgw.inference.onnx.TensorSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Everything the gateway knows about one model version besides its bytes; stored as {@code metadata.json}
 * next to {@code model.onnx}.
 *
 * @param name model name: lower-case letters, digits, '.', '_' and '-', at most 64
 * @param version version label, same alphabet
 * @param kind which pipeline uses it
 * @param head how outputs become results
 * @param sha256 lower-case hex SHA-256 of the ONNX bytes
 * @param inputs declared inputs, checked against the graph on load
 * @param outputs declared outputs, checked against the graph on load
 * @param preprocessing image preparation; required for vision models, null for sensor models
 * @param thresholds named thresholds: {@code score} (vision confidence / sensor anomaly score),
 *        {@code iou} (NMS overlap), {@code topK}
 * @param labels class names in output index order, may be empty
 * @param metrics for sensor models, the telemetry metrics the model was fitted on and may score (issue 23);
 *        empty applies to every metric, as models uploaded before metrics were recorded do
 * @param deviceTypes for sensor models, the device types whose telemetry the model may score (issue 23); empty
 *        applies to every device
 */
public record ModelMetadata(
        String name,
        String version,
        ModelKind kind,
        Head head,
        String sha256,
        List<TensorSpec> inputs,
        List<TensorSpec> outputs,
        Preprocessing preprocessing,
        Map<String, Double> thresholds,
        List<String> labels,
        List<String> metrics,
        List<String> deviceTypes) {

    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9._-]{0,63}");
    private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");

    public ModelMetadata {
        inputs = inputs == null ? List.of() : List.copyOf(inputs);
        outputs = outputs == null ? List.of() : List.copyOf(outputs);
        thresholds = thresholds == null ? Map.of() : Map.copyOf(thresholds);
        labels = labels == null ? List.of() : List.copyOf(labels);
        metrics = metrics == null ? List.of() : List.copyOf(metrics);
        deviceTypes = deviceTypes == null ? List.of() : List.copyOf(deviceTypes);
    }

    /** Metadata that names metrics but no device types. */
    public ModelMetadata(
            String name,
            String version,
            ModelKind kind,
            Head head,
            String sha256,
            List<TensorSpec> inputs,
            List<TensorSpec> outputs,
            Preprocessing preprocessing,
            Map<String, Double> thresholds,
            List<String> labels,
            List<String> metrics) {
        this(name, version, kind, head, sha256, inputs, outputs, preprocessing, thresholds, labels, metrics, List.of());
    }

    /** Metadata that names no metrics (vision models, and sensor models that apply to every metric). */
    public ModelMetadata(
            String name,
            String version,
            ModelKind kind,
            Head head,
            String sha256,
            List<TensorSpec> inputs,
            List<TensorSpec> outputs,
            Preprocessing preprocessing,
            Map<String, Double> thresholds,
            List<String> labels) {
        this(name, version, kind, head, sha256, inputs, outputs, preprocessing, thresholds, labels, List.of());
    }

    /** Whether this model scores windows of {@code metric}: it names the metric, or names none. */
    public boolean appliesTo(String metric) {
        // The lists are immutable copies, whose contains(null) throws: a null must answer, not fail the batch.
        return metrics.isEmpty() || (metric != null && metrics.contains(metric));
    }

    /**
     * Whether this model scores windows of {@code metric} from a device of {@code deviceType}: it names the metric (or
     * none) and the device type (or none). A reading of unknown type (null) matches only models that name no type.
     */
    public boolean appliesTo(String metric, String deviceType) {
        return appliesTo(metric) && (deviceTypes.isEmpty() || (deviceType != null && deviceTypes.contains(deviceType)));
    }

    /** A copy that applies only to these metrics. */
    public ModelMetadata withMetrics(List<String> scope) {
        return withScope(scope, deviceTypes);
    }

    /** A copy that applies only to these metrics and device types (empty: all). */
    public ModelMetadata withScope(List<String> metricScope, List<String> deviceTypeScope) {
        return new ModelMetadata(
                name,
                version,
                kind,
                head,
                sha256,
                inputs,
                outputs,
                preprocessing,
                thresholds,
                labels,
                metricScope,
                deviceTypeScope);
    }

    /** The declared signature. */
    public ModelSignature signature() {
        return new ModelSignature(inputs, outputs);
    }

    /** A threshold by name, or {@code fallback} when not set. */
    public double threshold(String key, double fallback) {
        return thresholds.getOrDefault(key, fallback);
    }

    /** Client-safe reasons why this metadata is unusable; empty when valid. Names are safe as path segments. */
    public List<String> problems() {
        List<String> problems = new ArrayList<>();
        if (name == null || !NAME.matcher(name).matches()) {
            problems.add("name must match " + NAME.pattern());
        }
        if (version == null || !NAME.matcher(version).matches()) {
            problems.add("version must match " + NAME.pattern());
        }
        if (sha256 == null || !SHA256.matcher(sha256).matches()) {
            problems.add("sha256 must be 64 lower-case hex digits");
        }
        if (kind == null || head == null) {
            problems.add("kind and head are required");
        } else if ((kind == ModelKind.VISION) != head.vision()) {
            problems.add("head " + head + " does not fit kind " + kind);
        }
        if (inputs.isEmpty() || outputs.isEmpty()) {
            problems.add("inputs and outputs must be declared");
        }
        for (TensorSpec spec : concat(inputs, outputs)) {
            if (spec == null || spec.name() == null || spec.shape() == null || spec.shape().length > 8) {
                problems.add("every input and output needs a name and a shape of rank 0..8");
                return problems;
            }
        }
        if (kind == ModelKind.VISION) {
            if (preprocessing == null) {
                problems.add("preprocessing is required for vision models");
            } else {
                problems.addAll(preprocessing.problems());
                if (problems.isEmpty()) {
                    checkImageInput(problems);
                }
            }
        }
        return problems;
    }

    /** The preprocessed image must fit the first input, or every frame would fail at run time. */
    private void checkImageInput(List<String> problems) {
        long[] shape = inputs.get(0).shape();
        boolean nchw = preprocessing.layout() == Preprocessing.Layout.NCHW;
        long[] image = nchw
                ? new long[] {1, preprocessing.colors().channels(), preprocessing.height(), preprocessing.width()}
                : new long[] {
                    1,
                    preprocessing.height(),
                    preprocessing.width(),
                    preprocessing.colors().channels()
                };
        if (!inputs.get(0).accepts(image)) {
            problems.add("preprocessing produces " + java.util.Arrays.toString(image) + " but input '"
                    + inputs.get(0).name() + "' is " + java.util.Arrays.toString(shape));
        }
    }

    private static List<TensorSpec> concat(List<TensorSpec> a, List<TensorSpec> b) {
        List<TensorSpec> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }

    /** A copy with another SHA-256 (used when the gateway computes the hash itself). */
    public ModelMetadata withSha256(String hash) {
        return new ModelMetadata(
                name,
                version,
                kind,
                head,
                hash,
                inputs,
                outputs,
                preprocessing,
                thresholds,
                labels,
                metrics,
                deviceTypes);
    }
}
