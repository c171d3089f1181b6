package dev.mecgw.devices;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.time.Instant;
import java.util.Optional;

/**
 * How a simulated device answers a command (docs/commands.md): it echoes the command's id where the device can see
 * it (MQTT 5 correlation data or user property {@code command-id}; the {@code id} of a CoAP command document) and
 * reports it done. The answer travels on {@code devices/{id}/commands/{name}/response} (MQTT; without an id, as an
 * MQTT 3.1.1 device, the gateway matches the oldest unanswered command of that name) or as {@code POST /commands}
 * (CoAP, where the id is required).
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

    /** CoAP path, below the root, that commands are observed on and responses posted to. */
    public static final String COAP_PATH = "/commands";

    /** @return the MQTT topic the response goes to */
    public static String responseTopic(String deviceId, String name) {
        return "devices/" + deviceId + COMMANDS + name + RESPONSE;
    }

    /**
     * @param name command name
     * @param commandId the command's id, empty where the device cannot see it (MQTT 3.1.1)
     * @param command the command as received (JSON, possibly empty): the MQTT payload, or the CoAP document
     * @param receivedAt when the device got it
     * @return the response document: {@code {"id"?,"name","status":"done","receivedAt","echo"?}}
     */
    public static byte[] response(String name, Optional<String> commandId, byte[] command, Instant receivedAt) {
        ObjectNode node = JSON.createObjectNode();
        commandId.filter(id -> !id.isEmpty()).ifPresent(id -> node.put("id", id));
        node.put("name", name);
        node.put("status", "done");
        node.put("receivedAt", receivedAt.toString());
        JsonNode parsed = parse(command);
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
