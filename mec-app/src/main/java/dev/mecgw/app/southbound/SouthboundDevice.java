package dev.mecgw.app.southbound;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;

/**
 * A registered southbound device as its client sees it.
 *
 * @param id the device id (readings, events and commands use it)
 * @param type the device type, the protocol's {@link SouthboundProtocol#type()}
 * @param settings the checked {@code connection} settings
 * @param secrets the opened write-only secrets by name; never log them
 */
public record SouthboundDevice(String id, String type, ObjectNode settings, Map<String, String> secrets) {

    @Override
    public String toString() {
        return "SouthboundDevice[" + id + ", " + type + ", secrets=" + secrets.keySet() + "]";
    }
}
