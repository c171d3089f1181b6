package dev.mecgw.app.twin;

import com.fasterxml.jackson.databind.JsonNode;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;

/**
 * Body of {@code POST /api/v1/devices/{id}/commands}.
 *
 * @param name command name, one topic level (no '/', '+', '#')
 * @param payload any JSON value, sent as the message payload
 */
public record CommandRequest(
        @NotBlank @Pattern(regexp = "[^/+#\\u0000]{1,128}", message = "must be one topic level") String name,

        JsonNode payload) {}
