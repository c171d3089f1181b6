package dev.mecgw.inference.onnx;

import java.util.ArrayList;
import java.util.List;

/**
 * The inputs and outputs of a model, in graph order.
 *
 * @param inputs the model's inputs, never null
 * @param outputs the model's outputs, never null
 */
public record ModelSignature(List<TensorSpec> inputs, List<TensorSpec> outputs) {

    public ModelSignature {
        inputs = List.copyOf(inputs);
        outputs = List.copyOf(outputs);
    }

    /**
     * Differences between this declared signature and the one a loaded graph actually has, as client-safe
     * sentences; empty when the graph satisfies the declaration. Only declared tensors are checked, so a
     * declaration may list a subset of the outputs, but every declared one must exist with a compatible shape.
     */
    public List<String> mismatches(ModelSignature actual) {
        List<String> problems = new ArrayList<>();
        compare("input", inputs, actual.inputs, problems);
        compare("output", outputs, actual.outputs, problems);
        return problems;
    }

    private static void compare(
            String role, List<TensorSpec> declared, List<TensorSpec> actual, List<String> problems) {
        for (TensorSpec spec : declared) {
            TensorSpec found = actual.stream()
                    .filter(a -> a.name().equals(spec.name()))
                    .findFirst()
                    .orElse(null);
            if (found == null) {
                problems.add("declared " + role + " '" + spec.name() + "' is not in the model (model has "
                        + actual.stream().map(TensorSpec::name).toList() + ")");
            } else if (!spec.accepts(found.shape())) {
                problems.add(role + " '" + spec.name() + "' has shape " + found + ", declared " + spec);
            }
        }
    }
}
