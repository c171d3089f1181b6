package dev.mecgw.inference.onnx;

/**
 * A model could not be loaded or run. The message is client-safe (it names the model and the reason, never
 * a native stack); the cause, when any, stays in the log.
 */
public class InferenceException extends RuntimeException {

    /** Why the operation failed; front-ends map it to their own status codes. */
    public enum Reason {
        /** The model bytes are not a loadable ONNX graph. */
        CORRUPT_MODEL,
        /** The graph loads but its inputs or outputs differ from the declared metadata. */
        SIGNATURE_MISMATCH,
        /** The uploaded bytes do not hash to the declared SHA-256. */
        CHECKSUM_MISMATCH,
        /** The caller passed tensors the model does not accept. */
        INVALID_INPUT,
        /** The metadata is incomplete or invalid (name, version, kind, preprocessing). */
        INVALID_METADATA,
        /** That name and version is already installed with different bytes. */
        VERSION_EXISTS,
        /** No model of that name (or version) is installed. */
        NOT_FOUND,
        /** The worker pool is saturated; retry later. */
        BUSY,
        /** The runtime failed while running a valid input. */
        RUN_FAILED
    }

    private final Reason reason;

    public InferenceException(Reason reason, String message) {
        this(reason, message, null);
    }

    public InferenceException(Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
