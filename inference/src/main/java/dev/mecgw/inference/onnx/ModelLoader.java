package dev.mecgw.inference.onnx;

/** Turns model bytes into a ready {@link ModelRunner}; separate from invocation so a failed load changes nothing. */
public interface ModelLoader {

    /**
     * Loads and checks a model.
     *
     * @param name model name for metrics and messages
     * @param version model version for metrics and messages
     * @param bytes the ONNX protobuf
     * @param declared the promised signature, or null to skip the check
     * @throws InferenceException {@code CORRUPT_MODEL} or {@code SIGNATURE_MISMATCH}
     */
    ModelRunner load(String name, String version, byte[] bytes, ModelSignature declared);
}
