package dev.mecgw.cloud.problem;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * An RFC 9457 problem details document, serialized as {@code application/problem+json}.
 *
 * @param type URI identifying the problem type; {@code about:blank} when the status says it all
 * @param title short summary of the problem type
 * @param status the HTTP status code
 * @param detail explanation of this occurrence, client-safe
 * @param instance the request path
 * @param errors extension member: one entry per invalid field, omitted when empty
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record Problem(String type, String title, int status, String detail, String instance, List<FieldError> errors) {

    /** The media type of a problem document. */
    public static final String MEDIA_TYPE = "application/problem+json";
}
