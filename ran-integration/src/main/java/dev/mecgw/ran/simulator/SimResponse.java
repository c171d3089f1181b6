package dev.mecgw.ran.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * What a simulated API answers.
 *
 * @param status HTTP status
 * @param body JSON body or null
 * @param location {@code Location} header or null
 * @param contentType content type of the body
 */
record SimResponse(int status, JsonNode body, String location, String contentType) {

    static SimResponse json(int status, JsonNode body) {
        return new SimResponse(status, body, null, "application/json");
    }

    static SimResponse created(String location, JsonNode body) {
        return new SimResponse(201, body, location, "application/json");
    }

    static SimResponse noContent() {
        return new SimResponse(204, null, null, null);
    }

    /** A TS 29.122 / TS 29.571 ProblemDetails answer. */
    static SimResponse problem3gpp(int status, String cause, String detail) {
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        body.put("title", title(status));
        body.put("status", status);
        body.put("detail", detail);
        if (cause != null) {
            body.put("cause", cause);
        }
        return new SimResponse(status, body, null, "application/problem+json");
    }

    /** An ETSI MEC (RFC 7807) ProblemDetails answer. */
    static SimResponse problemEtsi(int status, String detail) {
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        body.put("type", "about:blank");
        body.put("title", title(status));
        body.put("status", status);
        body.put("detail", detail);
        return new SimResponse(status, body, null, "application/problem+json");
    }

    private static String title(int status) {
        return switch (status) {
            case 400 -> "Bad Request";
            case 401 -> "Unauthorized";
            case 403 -> "Forbidden";
            case 404 -> "Not Found";
            case 405 -> "Method Not Allowed";
            case 415 -> "Unsupported Media Type";
            case 503 -> "Service Unavailable";
            default -> "Error";
        };
    }
}
