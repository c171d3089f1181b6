package dev.mecgw.app.problem;

import java.util.List;

/**
 * The one exception type the gateway raises for failures a client should learn about. The message is
 * client-safe by construction; causes stay in the log.
 */
public class GatewayException extends RuntimeException {

    private final ErrorKind kind;
    private final List<FieldError> fieldErrors;

    public GatewayException(ErrorKind kind, String clientMessage) {
        this(kind, clientMessage, List.of(), null);
    }

    public GatewayException(ErrorKind kind, String clientMessage, Throwable cause) {
        this(kind, clientMessage, List.of(), cause);
    }

    public GatewayException(ErrorKind kind, String clientMessage, List<FieldError> fieldErrors, Throwable cause) {
        super(clientMessage, cause);
        this.kind = kind;
        this.fieldErrors = List.copyOf(fieldErrors);
    }

    /** A bad-request failure naming one field. */
    public static GatewayException badField(String field, String message) {
        return new GatewayException(
                ErrorKind.BAD_REQUEST,
                "Invalid " + field + ": " + message,
                List.of(new FieldError(field, message)),
                null);
    }

    public static GatewayException notFound(String what) {
        return new GatewayException(ErrorKind.NOT_FOUND, what + " not found");
    }

    public ErrorKind kind() {
        return kind;
    }

    /** The invalid fields, empty when the failure is not about input fields. */
    public List<FieldError> fieldErrors() {
        return fieldErrors;
    }
}
