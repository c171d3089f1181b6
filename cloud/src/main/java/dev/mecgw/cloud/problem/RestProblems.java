package dev.mecgw.cloud.problem;

import jakarta.ws.rs.core.Response;
import java.util.List;

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
            case UNAVAILABLE -> 503;
            case INTERNAL -> 500;
        };
    }

    /** @return the problem+json response for a kind, client-safe message, request path and invalid fields */
    public static Response response(ErrorKind kind, String detail, String path, List<FieldError> errors) {
        int status = status(kind);
        Response.Status known = Response.Status.fromStatusCode(status);
        Response.ResponseBuilder builder = Response.status(status)
                .type(Problem.MEDIA_TYPE)
                .entity(new Problem(
                        "about:blank",
                        known != null ? known.getReasonPhrase() : kind.name(),
                        status,
                        detail,
                        path,
                        errors));
        if (kind == ErrorKind.UNAUTHORIZED) {
            builder.header("WWW-Authenticate", "Bearer realm=\"mecgw-cloud\"");
        }
        if (kind == ErrorKind.UNAVAILABLE) {
            builder.header("Retry-After", "5");
        }
        return builder.build();
    }
}
