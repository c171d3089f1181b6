package dev.mecgw.app.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mecgw.app.problem.GatewayException;
import java.util.Map;
import java.util.Set;

/**
 * Checks the {@code connection} settings of a device of a southbound type (issue 21: {@code modbus}, {@code iec104},
 * {@code sparkplug}) when the device is registered or updated, and says which of them are secrets. Implemented by the
 * southbound area; without it no device type takes connection settings. Pure and thread-safe; never blocks.
 */
public interface ConnectionPolicy {

    /** No southbound types: a {@code connection} object is refused for every type. */
    ConnectionPolicy NONE = new ConnectionPolicy() {
        @Override
        public Set<String> types() {
            return Set.of();
        }

        @Override
        public CheckedConnection check(String type, JsonNode connection) {
            throw GatewayException.badField("connection", "device type " + type + " takes no connection settings");
        }
    };

    /** @return the device types that carry connection settings */
    Set<String> types();

    /**
     * Validates connection settings for a device type that is in {@link #types()}.
     *
     * @param type the device type
     * @param connection the {@code connection} object of the request; null when absent
     * @return the settings split into what is shown and what is sealed
     * @throws GatewayException BAD_REQUEST naming the field (e.g. {@code connection.registers[2].address})
     */
    CheckedConnection check(String type, JsonNode connection);

    /**
     * Valid connection settings.
     *
     * @param settings what the API shows and the protocol client reads
     * @param secrets write-only values (e.g. a password), sealed at rest and never shown; an absent one keeps the
     *     stored value on update
     */
    record CheckedConnection(ObjectNode settings, Map<String, String> secrets) {

        @Override
        public String toString() {
            // Never let a secret reach a log line through toString().
            return "CheckedConnection[settings=" + settings + ", secrets=" + secrets.keySet() + "]";
        }
    }
}
