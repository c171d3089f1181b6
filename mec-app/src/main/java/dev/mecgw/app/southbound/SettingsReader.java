package dev.mecgw.app.southbound;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mecgw.app.problem.GatewayException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Reads one JSON object of connection settings, failing with BAD_REQUEST that names the field by its full path
 * ({@code connection.registers[2].address}). For {@link SouthboundProtocol#check} implementations.
 */
public final class SettingsReader {

    private final ObjectNode node;
    private final String path;

    private SettingsReader(ObjectNode node, String path) {
        this.node = node;
        this.path = path;
    }

    /**
     * @param value the {@code connection} object of a request
     * @throws GatewayException when it is absent or not an object
     */
    public static SettingsReader of(JsonNode value) {
        return object(value, "connection");
    }

    private static SettingsReader object(JsonNode value, String path) {
        if (value == null || value.isNull() || value.isMissingNode()) {
            throw GatewayException.badField(path, "is required");
        }
        if (!value.isObject()) {
            throw GatewayException.badField(path, "must be an object");
        }
        return new SettingsReader((ObjectNode) value, path);
    }

    /** @return the full path of a field of this object */
    public String path(String field) {
        return path + "." + field;
    }

    /** @return the object read */
    public ObjectNode node() {
        return node;
    }

    /** Refuses fields not in {@code known}, so that a typo does not silently fall back to a default. */
    public SettingsReader only(Set<String> known) {
        for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!known.contains(name)) {
                throw GatewayException.badField(path(name), "is not a known setting");
            }
        }
        return this;
    }

    /** @return whether the field is present and not null */
    public boolean has(String field) {
        JsonNode value = node.get(field);
        return value != null && !value.isNull();
    }

    /** A required string, 1..{@code maxLength} characters. */
    public String text(String field, int maxLength) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            throw GatewayException.badField(path(field), "is required");
        }
        if (!value.isTextual() || value.asText().isEmpty() || value.asText().length() > maxLength) {
            throw GatewayException.badField(path(field), "must be a string of 1.." + maxLength + " characters");
        }
        return value.asText();
    }

    /** An optional string; {@code fallback} when absent. */
    public String text(String field, int maxLength, String fallback) {
        return has(field) ? text(field, maxLength) : fallback;
    }

    /** A string that must be one of {@code allowed} (compared in lower case); {@code fallback} when absent. */
    public String choice(String field, Set<String> allowed, String fallback) {
        if (!has(field)) {
            if (fallback == null) {
                throw GatewayException.badField(path(field), "is required, one of " + allowed);
            }
            return fallback;
        }
        String value = text(field, 64).toLowerCase(Locale.ROOT);
        if (!allowed.contains(value)) {
            throw GatewayException.badField(path(field), "must be one of " + allowed);
        }
        return value;
    }

    /** An integer in [min, max]; required when {@code fallback} is null. */
    public long integer(String field, long min, long max, Long fallback) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            if (fallback == null) {
                throw GatewayException.badField(path(field), "is required");
            }
            return fallback;
        }
        if (!value.canConvertToLong() || !value.isIntegralNumber() || value.asLong() < min || value.asLong() > max) {
            throw GatewayException.badField(path(field), "must be an integer from " + min + " to " + max);
        }
        return value.asLong();
    }

    /** A finite number; {@code fallback} when absent. */
    public double number(String field, double fallback) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return fallback;
        }
        if (!value.isNumber() || !Double.isFinite(value.asDouble())) {
            throw GatewayException.badField(path(field), "must be a finite number");
        }
        return value.asDouble();
    }

    /** A boolean; {@code fallback} when absent. */
    public boolean bool(String field, boolean fallback) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return fallback;
        }
        if (!value.isBoolean()) {
            throw GatewayException.badField(path(field), "must be true or false");
        }
        return value.asBoolean();
    }

    /** The objects of a required array of 1..{@code maxItems} objects, each with its own path. */
    public List<SettingsReader> objects(String field, int maxItems) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            throw GatewayException.badField(path(field), "is required");
        }
        if (!value.isArray() || value.isEmpty() || value.size() > maxItems) {
            throw GatewayException.badField(path(field), "must be an array of 1.." + maxItems + " objects");
        }
        List<SettingsReader> items = new ArrayList<>(value.size());
        for (int i = 0; i < value.size(); i++) {
            items.add(object(value.get(i), path(field) + "[" + i + "]"));
        }
        return items;
    }
}
