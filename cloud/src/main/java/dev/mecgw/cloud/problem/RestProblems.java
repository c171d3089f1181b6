package dev.mecgw.cloud.problem;

import jakarta.ws.rs.core.Response;
import java.util.List;
import java.util.Map;

/** The one place where an {@link ErrorKind} becomes an HTTP status and a problem document. */
public final class RestProblems {

    private RestProblems() {}

    /** @return the HTTP status for a kind; a pure function, see {@code RestProblemsTest} */
    public static int status(ErrorKind kind) {
        return switch (kind) {
            case BAD_REQUEST -> 400;
            case UNAUTHORIZED -> 401;
            case NOT_FOUND -> 404;
            case CONFLICT -> 409;
            case TOO_LARGE -> 413;
            case UNAVAILABLE -> 503;
            case INTERNAL -> 500;
        };
    }

    /** @return the problem+json response for a kind, client-safe message, request path and invalid fields */
    public static Response response(ErrorKind kind, String detail, String path, List<FieldError> errors) {
        Response.ResponseBuilder builder =
                Response.status(status(kind)).type(Problem.MEDIA_TYPE).entity(problem(kind, detail, path, errors));
        headers(kind).forEach(builder::header);
        return builder.build();
    }

    /** @return the headers a problem of this kind carries besides its type: the auth challenge, a retry hint */
    public static Map<String, String> headers(ErrorKind kind) {
        return switch (kind) {
            case UNAUTHORIZED -> Map.of("WWW-Authenticate", "Bearer realm=\"mecgw-cloud\"");
            case UNAVAILABLE -> Map.of("Retry-After", "5");
            default -> Map.of();
        };
    }

    /** @return the problem document alone, for handlers that answer outside JAX-RS (a Vert.x route) */
    public static Problem problem(ErrorKind kind, String detail, String path, List<FieldError> errors) {
        int status = status(kind);
        Response.Status known = Response.Status.fromStatusCode(status);
        return new Problem(
                "about:blank", known != null ? known.getReasonPhrase() : kind.name(), status, detail, path, errors);
    }
}
