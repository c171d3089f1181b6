package dev.mecgw.app.mqtt;

/**
 * A device's own topic family {@code devices/{id}<suffix>}, e.g. {@code /telemetry}: matching and id
 * extraction shared by the routes. The id is exactly one topic level.
 */
final class DeviceTopic {

    private static final String PREFIX = "devices/";

    private final String suffix;

    DeviceTopic(String suffix) {
        this.suffix = suffix;
    }

    /** Whether the topic is {@code devices/<one level><suffix>}. */
    boolean matches(String topic) {
        return topic.startsWith(PREFIX)
                && topic.endsWith(suffix)
                && topic.length() > PREFIX.length() + suffix.length()
                && topic.indexOf('/', PREFIX.length()) == topic.length() - suffix.length();
    }

    /** The device id of a matching topic. */
    String deviceId(String topic) {
        return topic.substring(PREFIX.length(), topic.length() - suffix.length());
    }
}
