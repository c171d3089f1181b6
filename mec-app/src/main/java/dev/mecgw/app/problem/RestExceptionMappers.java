package dev.mecgw.app.problem;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.ConstraintViolationException;
import jakarta.validation.Path;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.util.Comparator;
import java.util.List;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * Turns every failure of the REST API into RFC 9457 problem+json. Errors are logged here, once, and
 * only for 5xx; 4xx are the client's business and never carry class names or stack traces.
 */
public class RestExceptionMappers {

    private static final Logger LOG = Logger.getLogger(RestExceptionMappers.class);

    @ServerExceptionMapper
    public Response gateway(GatewayException e, UriInfo uri) {
        if (e.kind() == ErrorKind.INTERNAL) {
            LOG.error("Internal error on " + uri.getPath(), e);
        }
        return RestProblems.response(e.kind(), e.getMessage(), uri.getPath(), e.fieldErrors());
    }

    @ServerExceptionMapper(priority = 1)
    public Response violations(ConstraintViolationException e, UriInfo uri) {
        List<FieldError> errors = e.getConstraintViolations().stream()
                .map(v -> new FieldError(fieldOf(v), v.getMessage()))
                .sorted(Comparator.comparing(FieldError::field))
                .toList();
        String detail = "Invalid request: "
                + String.join(", ", errors.stream().map(FieldError::field).toList());
        return RestProblems.response(ErrorKind.BAD_REQUEST, detail, uri.getPath(), errors);
    }

    @ServerExceptionMapper(priority = 1)
    public Response json(JsonProcessingException e, UriInfo uri) {
        FieldError error = describe(e);
        return RestProblems.response(
                ErrorKind.BAD_REQUEST,
                "Invalid JSON body: " + error.message() + ("$".equals(error.field()) ? "" : " (" + error.field() + ")"),
                uri.getPath(),
                List.of(error));
    }

    // Quarkus ships its own mappers for these Jackson types; the most specific type wins, so each one a
    // client can trigger is named here to keep every 400 in problem+json.
    @ServerExceptionMapper(priority = 1)
    public Response mismatched(MismatchedInputException e, UriInfo uri) {
        return json(e, uri);
    }

    @ServerExceptionMapper(priority = 1)
    public Response invalidFormat(InvalidFormatException e, UriInfo uri) {
        return json(e, uri);
    }

    @ServerExceptionMapper(priority = 1)
    public Response unknownField(UnrecognizedPropertyException e, UriInfo uri) {
        return json(e, uri);
    }

    @ServerExceptionMapper(priority = 1)
    public Response malformed(JsonParseException e, UriInfo uri) {
        return json(e, uri);
    }

    @ServerExceptionMapper(priority = 1)
    public Response mapping(JsonMappingException e, UriInfo uri) {
        return json(e, uri);
    }

    @ServerExceptionMapper(priority = 10)
    public Response web(WebApplicationException e, UriInfo uri) {
        int status = e.getResponse().getStatus();
        if (status >= 500) {
            LOG.error("Request failed on " + uri.getPath(), e);
        }
        Throwable cause = e.getCause();
        if (cause instanceof JsonProcessingException jpe) {
            return json(jpe, uri);
        }
        Response.StatusType type = e.getResponse().getStatusInfo();
        return Response.status(status)
                .type(Problem.MEDIA_TYPE)
                .entity(new Problem(
                        "about:blank",
                        type.getReasonPhrase(),
                        status,
                        status >= 500 ? "Internal error" : e.getMessage(),
                        uri.getPath(),
                        List.of()))
                .build();
    }

    @ServerExceptionMapper(priority = 100)
    public Response unexpected(RuntimeException e, UriInfo uri) {
        LOG.error("Unexpected error on " + uri.getPath(), e);
        return RestProblems.response(ErrorKind.INTERNAL, "Internal error", uri.getPath(), List.of());
    }

    /**
     * Dotted field path of a violation without the method and parameter nodes; for a violated query or
     * path parameter (no property nodes) the parameter name.
     */
    static String fieldOf(ConstraintViolation<?> violation) {
        StringBuilder field = new StringBuilder();
        String parameter = "$";
        for (Path.Node node : violation.getPropertyPath()) {
            switch (node.getKind()) {
                case PARAMETER -> parameter = node.getName();
                case PROPERTY, BEAN -> {
                    if (node.getName() != null) {
                        field.append(field.length() > 0 ? "." : "").append(node.getName());
                    }
                }
                case CONTAINER_ELEMENT -> {
                    // A map entry: name its key so the client can find it.
                    if (node.getKey() != null) {
                        field.append('[').append(node.getKey()).append(']');
                    }
                }
                default -> {}
            }
        }
        return field.length() == 0 ? parameter : field.toString();
    }

    /** Names the offending field of a JSON binding failure. */
    static FieldError describe(JsonProcessingException e) {
        if (e instanceof UnrecognizedPropertyException u) {
            return new FieldError(path(u), "unknown field (unknown fields are rejected)");
        }
        if (e instanceof InvalidFormatException f) {
            return new FieldError(path(f), "expected " + typeName(f.getTargetType()) + ", got '" + f.getValue() + "'");
        }
        if (e instanceof MismatchedInputException m) {
            return new FieldError(path(m), "expected " + typeName(m.getTargetType()));
        }
        if (e instanceof JsonMappingException m && !m.getPath().isEmpty()) {
            return new FieldError(path(m), "invalid value");
        }
        return new FieldError(
                "$",
                "malformed JSON at line "
                        + (e.getLocation() == null ? "?" : e.getLocation().getLineNr()) + ", column "
                        + (e.getLocation() == null ? "?" : e.getLocation().getColumnNr()));
    }

    private static String path(JsonMappingException e) {
        StringBuilder sb = new StringBuilder();
        for (JsonMappingException.Reference ref : e.getPath()) {
            if (ref.getFieldName() != null) {
                if (sb.length() > 0) {
                    sb.append('.');
                }
                sb.append(ref.getFieldName());
            } else if (ref.getIndex() >= 0) {
                sb.append('[').append(ref.getIndex()).append(']');
            }
        }
        return sb.length() == 0 ? "$" : sb.toString();
    }

    private static String typeName(Class<?> type) {
        if (type == null) {
            return "a different value";
        }
        if (Number.class.isAssignableFrom(type) || (type.isPrimitive() && type != boolean.class)) {
            return "a number";
        }
        if (type == String.class) {
            return "a string";
        }
        if (type == Boolean.class || type == boolean.class) {
            return "a boolean";
        }
        if (java.util.Map.class.isAssignableFrom(type) || Record.class.isAssignableFrom(type)) {
            return "an object";
        }
        if (java.util.Collection.class.isAssignableFrom(type)) {
            return "an array";
        }
        return "a value of another type";
    }
}
