package dev.mecgw.app.acl;

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

    private final String suffix;

    /** @param suffix what follows the device id, starting with {@code /}, e.g. {@code /telemetry} */
    public DeviceTopic(String suffix) {
        this.suffix = suffix;
    }

    /** {@code devices/{deviceId}/{path}}, e.g. {@code of("cam-1", "commands/reboot")}. */
    public static String of(String deviceId, String path) {
        return ownPrefix(deviceId) + path;
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
