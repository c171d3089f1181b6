package dev.mecgw.cloud.commands;

import com.fasterxml.jackson.databind.JsonNode;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;

/**
 * Body of {@code POST /api/v1/sites/{siteId}/devices/{deviceId}/commands}.
 *
 * @param name the command name, one MQTT topic level: {@code devices/{id}/commands/{name}}
 * @param payload the command's arguments, a JSON object; {@code {}} when absent
 * @param ttl how long the site keeps it for an offline device: ISO-8601 ({@code PT10M}) or seconds; optional
 */
public record CommandRequest(
        @NotNull @Pattern(regexp = "[A-Za-z0-9_.:-]{1,64}", message = "1 to 64 of A-Z a-z 0-9 _ . : -") String name,

        JsonNode payload,
        JsonNode ttl) {}
