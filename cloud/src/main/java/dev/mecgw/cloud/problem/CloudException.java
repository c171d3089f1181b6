package dev.mecgw.cloud.problem;

import java.util.List;

/**
 * The one exception type the cloud raises for failures a client should learn about. The message is client-safe by
 * construction; causes stay in the log.
 */
public class CloudException extends RuntimeException {

    private final ErrorKind kind;
    private final List<FieldError> fieldErrors;

    /**
     * @param kind what went wrong
     * @param clientMessage client-safe explanation
     * @param fieldErrors the invalid fields, empty when the failure is not about input
     * @param cause the cause, logged only; may be null
     */
    public CloudException(ErrorKind kind, String clientMessage, List<FieldError> fieldErrors, Throwable cause) {
        super(clientMessage, cause);
        this.kind = kind;
        this.fieldErrors = List.copyOf(fieldErrors);
    }

    /** @return a bad-request failure naming one field */
    public static CloudException badField(String field, String message) {
        return new CloudException(
                ErrorKind.BAD_REQUEST,
                "Invalid " + field + ": " + message,
                List.of(new FieldError(field, message)),
                null);
    }

    /** @return a too-large failure naming the field (part) over its limit of {@code limitBytes} */
    public static CloudException tooLarge(String field, long limitBytes) {
        String message = "larger than the limit of " + limitBytes + " bytes";
        return new CloudException(
                ErrorKind.TOO_LARGE,
                "Too large " + field + ": " + message,
                List.of(new FieldError(field, message)),
                null);
    }

    /** @return a not-found failure, e.g. {@code notFound("device d1 at site plant-7")} */
    public static CloudException notFound(String what) {
        return new CloudException(ErrorKind.NOT_FOUND, what + " not found", List.of(), null);
    }

    /** @return a failure of a dependency that a retry may overcome */
    public static CloudException unavailable(String what, Throwable cause) {
        return new CloudException(ErrorKind.UNAVAILABLE, what, List.of(), cause);
    }

    /** @return what went wrong */
    public ErrorKind kind() {
        return kind;
    }

    /** @return the invalid fields, empty when the failure is not about input fields */
    public List<FieldError> fieldErrors() {
        return fieldErrors;
    }
}
