package dev.mecgw.app.acl;

import java.util.Optional;

/**
 * The topics a device owns, {@code devices/{id}/...}: the one place such a topic is built or taken apart,
 * by the MQTT routes, the access policy, the twin API and the CoAP front-end (which maps a resource to the
 * same topic). An instance stands for one topic family {@code devices/{id}<suffix>}, e.g. {@code /telemetry};
 * the id is exactly one topic level. Immutable and thread-safe.
 */
public final class DeviceTopic {

    /** The first level of every device topic. */
    public static final String ROOT = "devices";

    private static final String PREFIX = ROOT + "/";
    private static final String COMMANDS = "commands/";
    private static final String RESPONSE = "/response";
    private static final String DESIRED_TWIN = "twin/desired";

    private final String suffix;

    /** @param suffix what follows the device id, starting with {@code /}, e.g. {@code /telemetry} */
    public DeviceTopic(String suffix) {
        this.suffix = suffix;
    }

    /** {@code devices/{deviceId}/{path}}, e.g. {@code of("cam-1", "commands/reboot")}. */
    public static String of(String deviceId, String path) {
        return ownPrefix(deviceId) + path;
    }

    /** {@code devices/{deviceId}/twin/desired}: where the desired twin is kept retained for the device. */
    public static String desiredTwin(String deviceId) {
        return of(deviceId, DESIRED_TWIN);
    }

    /** {@code devices/{deviceId}/commands/{name}}: where the device receives a command (docs/commands.md). */
    public static String command(String deviceId, String name) {
        return of(deviceId, COMMANDS + name);
    }

    /** {@code devices/{deviceId}/commands/{name}/response}: where the device answers a command. */
    public static String commandResponse(String deviceId, String name) {
        return command(deviceId, name) + RESPONSE;
    }

    /**
     * Takes a command topic apart: {@code devices/{id}/commands/{name}}, id and name one non-empty level each (a
     * command's name is one level by validation, so a command may be named {@code response}).
     *
     * @return the device id and the command name; empty for any other topic, a response topic included
     */
    public static Optional<CommandTopic> commandOf(String topic) {
        int id = idEnd(topic);
        if (id < 0 || !topic.startsWith(COMMANDS, id + 1)) {
            return Optional.empty();
        }
        String name = topic.substring(id + 1 + COMMANDS.length());
        if (name.isEmpty() || name.indexOf('/') >= 0) {
            return Optional.empty();
        }
        return Optional.of(new CommandTopic(topic.substring(PREFIX.length(), id), name));
    }

    /**
     * Takes a response topic apart: {@code devices/{id}/commands/{name}/response}, id and name one non-empty level
     * each.
     *
     * @return the device id and the command name; empty for any other topic
     */
    public static Optional<CommandTopic> commandResponseOf(String topic) {
        if (!topic.endsWith(RESPONSE)) {
            return Optional.empty();
        }
        return commandOf(topic.substring(0, topic.length() - RESPONSE.length()));
    }

    /**
     * A device id and a command name, as a command topic or its response topic carries them.
     *
     * @param deviceId the device, one topic level
     * @param name the command's name
     */
    public record CommandTopic(String deviceId, String name) {}

    /** The index of the {@code /} that ends a non-empty device id below {@code devices/}, or -1. */
    private static int idEnd(String topic) {
        if (!topic.startsWith(PREFIX)) {
            return -1;
        }
        int end = topic.indexOf('/', PREFIX.length());
        return end > PREFIX.length() ? end : -1;
    }

    /** {@code devices/{deviceId}/}: every topic the device owns starts with it. */
    public static String ownPrefix(String deviceId) {
        return PREFIX + deviceId + "/";
    }

    /** Whether a topic or filter lies below {@code devices/} (some device's topic). */
    public static boolean isBelowRoot(String topicOrFilter) {
        return topicOrFilter.startsWith(PREFIX);
    }

    /** Whether the topic is {@code devices/<one level><suffix>}. */
    public boolean matches(String topic) {
        return topic.startsWith(PREFIX)
                && topic.endsWith(suffix)
                && topic.length() > PREFIX.length() + suffix.length()
                && topic.indexOf('/', PREFIX.length()) == topic.length() - suffix.length();
    }

    /** The device id of a topic this family {@link #matches}. */
    public String deviceId(String topic) {
        return topic.substring(PREFIX.length(), topic.length() - suffix.length());
    }
}
