package dev.mecgw.app.inference;

import dev.mecgw.app.problem.ErrorKind;
import dev.mecgw.app.problem.GatewayException;
import dev.mecgw.app.problem.RestExceptionMappers;
import dev.mecgw.inference.onnx.InferenceException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** Maps inference failures to problem+json; the reason table is a pure function, see its test. */
public class InferenceProblems {

    private final RestExceptionMappers mappers = new RestExceptionMappers();

    /** The error kind (and so the HTTP status) for a failure reason. */
    public static ErrorKind kindOf(InferenceException.Reason reason) {
        return switch (reason) {
            case INVALID_INPUT, INVALID_METADATA, CHECKSUM_MISMATCH -> ErrorKind.BAD_REQUEST;
            case CORRUPT_MODEL, SIGNATURE_MISMATCH -> ErrorKind.UNPROCESSABLE;
            case VERSION_EXISTS -> ErrorKind.CONFLICT;
            case NOT_FOUND -> ErrorKind.NOT_FOUND;
            case BUSY -> ErrorKind.UNAVAILABLE;
            case RUN_FAILED -> ErrorKind.INTERNAL;
        };
    }

    /** Converts a failure, keeping its client-safe message unless it is internal. */
    public static GatewayException toGateway(InferenceException e) {
        ErrorKind kind = kindOf(e.reason());
        return new GatewayException(kind, kind == ErrorKind.INTERNAL ? "Inference failed" : e.getMessage(), e);
    }

    @ServerExceptionMapper
    public Response inference(InferenceException e, UriInfo uri) {
        return mappers.gateway(toGateway(e), uri);
    }
}
