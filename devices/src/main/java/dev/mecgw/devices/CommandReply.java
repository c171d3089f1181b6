package dev.mecgw.devices;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.time.Instant;
import java.util.Optional;

/**
 * How a simulated device answers a command: it echoes the command's id (from the payload, where the gateway put
 * one) and reports it done. The answer travels on {@code devices/{id}/commands/{name}/response} (MQTT) or to the
 * same path relative to the CoAP root.
 */
public final class CommandReply {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String COMMANDS = "/commands/";
    private static final String RESPONSE = "/response";

    private CommandReply() {}

    /**
     * @param topic a topic the device received, e.g. {@code devices/s-1/commands/reboot}
     * @return the command name, or empty when the topic is not a command for a device (e.g. a response echo)
     */
    public static Optional<String> commandName(String topic) {
        int at = topic.indexOf(COMMANDS);
        if (!topic.startsWith("devices/") || at < 0 || topic.endsWith(RESPONSE)) {
            return Optional.empty();
        }
        String name = topic.substring(at + COMMANDS.length());
        return name.isEmpty() || name.contains("/") ? Optional.empty() : Optional.of(name);
    }

    /** @return the topic (or CoAP path below the root) the response goes to */
    public static String responseTopic(String deviceId, String name) {
        return "devices/" + deviceId + COMMANDS + name + RESPONSE;
    }

    /**
     * @param name command name
     * @param command the command as received (JSON, possibly empty)
     * @param receivedAt when the device got it
     * @return the response document: {@code {"name","id"?,"status":"done","receivedAt","echo"?}}
     */
    public static byte[] response(String name, byte[] command, Instant receivedAt) {
        ObjectNode node = JSON.createObjectNode();
        node.put("name", name);
        JsonNode parsed = parse(command);
        if (parsed != null && parsed.hasNonNull("id")) {
            node.set("id", parsed.get("id"));
        }
        node.put("status", "done");
        node.put("receivedAt", receivedAt.toString());
        if (parsed != null) {
            node.set("echo", parsed.has("payload") ? parsed.get("payload") : parsed);
        }
        try {
            return JSON.writeValueAsBytes(node);
        } catch (IOException e) {
            throw new IllegalStateException("a tree of plain values always serializes", e);
        }
    }

    private static JsonNode parse(byte[] command) {
        if (command == null || command.length == 0) {
            return null;
        }
        try {
            return JSON.readTree(command);
        } catch (IOException e) {
            // Not JSON: answer anyway, without an echo.
            return null;
        }
    }
}
