package dev.mecgw.app.twin;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import dev.mecgw.app.problem.GatewayException;
import java.io.IOException;
import java.util.Map;

/**
 * What a command issued at the edge may carry (review r8): one JSON value that PostgreSQL's jsonb stores, which the
 * command table requires. Checked before anything is stored, so that a bad payload is a 400 naming {@code payload}
 * rather than a store failure (503): not JSON, JSON followed by more text, or a string holding U+0000 or a lone
 * surrogate (jsonb refuses both). What jsonb still refuses past this (a number beyond its range) the command ledger
 * reports the same way.
 */
final class CommandPayloadCheck {

    private static final String BAD_STRING =
            "a string holds \\u0000 or a lone surrogate, which the command store cannot keep";

    private final ObjectReader reader;

    CommandPayloadCheck(ObjectMapper json) {
        this.reader = json.reader().with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    }

    /** @throws GatewayException BAD_REQUEST naming {@code payload} when it is not one storable JSON value */
    void require(byte[] payload) {
        JsonNode value;
        try {
            value = reader.readTree(payload);
        } catch (IOException e) {
            throw GatewayException.badField("payload", "not one JSON value" + where(e));
        }
        if (value == null || value.isMissingNode()) {
            throw GatewayException.badField("payload", "empty; send a JSON value, e.g. {} or null");
        }
        String problem = unstorable(value);
        if (problem != null) {
            throw GatewayException.badField("payload", problem);
        }
    }

    private static String where(IOException e) {
        if (e instanceof JsonProcessingException p && p.getLocation() != null) {
            return " (line " + p.getLocation().getLineNr() + ", column "
                    + p.getLocation().getColumnNr() + ")";
        }
        return "";
    }

    /** @return why jsonb would refuse the value, or null when it stores it */
    private static String unstorable(JsonNode value) {
        if (value.isTextual() && !storable(value.textValue())) {
            return BAD_STRING;
        }
        for (Map.Entry<String, JsonNode> field : value.properties()) {
            String problem = storable(field.getKey()) ? unstorable(field.getValue()) : BAD_STRING;
            if (problem != null) {
                return problem;
            }
        }
        if (value.isArray()) {
            for (JsonNode element : value) {
                String problem = unstorable(element);
                if (problem != null) {
                    return problem;
                }
            }
        }
        return null;
    }

    private static boolean storable(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == 0) {
                return false;
            }
            if (Character.isHighSurrogate(c)) {
                if (i + 1 == text.length() || !Character.isLowSurrogate(text.charAt(i + 1))) {
                    return false;
                }
                i++;
            } else if (Character.isLowSurrogate(c)) {
                return false;
            }
        }
        return true;
    }
}
