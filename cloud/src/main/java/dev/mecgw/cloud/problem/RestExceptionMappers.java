package dev.mecgw.cloud.problem;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
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
 * Turns every failure of the cloud's REST API into RFC 9457 problem+json. Errors are logged here, once, and only for
 * 5xx; 4xx never carry class names or stack traces.
 */
public class RestExceptionMappers {

    private static final Logger LOG = Logger.getLogger(RestExceptionMappers.class);

    @ServerExceptionMapper
    public Response cloud(CloudException e, UriInfo uri) {
        if (e.kind() == ErrorKind.INTERNAL || e.kind() == ErrorKind.UNAVAILABLE) {
            LOG.errorf(e, "%s on %s", e.getMessage(), uri.getPath());
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

    // Quarkus ships its own mappers for Jackson's exception types; the most specific type wins, so the base type
    // here with priority 1 keeps every malformed body in problem+json.
    @ServerExceptionMapper(priority = 1)
    public Response json(JsonProcessingException e, UriInfo uri) {
        String field = e instanceof JsonMappingException m ? path(m) : "$";
        FieldError error = new FieldError(field, "$".equals(field) ? "malformed JSON" : "invalid value");
        return RestProblems.response(
                ErrorKind.BAD_REQUEST, "Invalid JSON body (" + field + ")", uri.getPath(), List.of(error));
    }

    @ServerExceptionMapper(priority = 10)
    public Response web(WebApplicationException e, UriInfo uri) {
        if (e.getCause() instanceof JsonProcessingException jpe) {
            return json(jpe, uri);
        }
        int status = e.getResponse().getStatus();
        if (status >= 500) {
            LOG.error("Request failed on " + uri.getPath(), e);
        }
        return Response.status(status)
                .type(Problem.MEDIA_TYPE)
                .entity(new Problem(
                        "about:blank",
                        e.getResponse().getStatusInfo().getReasonPhrase(),
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

    /** The query parameter or body field of a violation, without method and parameter nodes. */
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
                default -> {}
            }
        }
        return field.length() == 0 ? parameter : field.toString();
    }

    private static String path(JsonMappingException e) {
        StringBuilder sb = new StringBuilder();
        for (JsonMappingException.Reference ref : e.getPath()) {
            if (ref.getFieldName() != null) {
                sb.append(sb.length() > 0 ? "." : "").append(ref.getFieldName());
            } else if (ref.getIndex() >= 0) {
                sb.append('[').append(ref.getIndex()).append(']');
            }
        }
        return sb.length() == 0 ? "$" : sb.toString();
    }
}
