package dev.mecgw.app.mqtt.persistence;

/**
 * One subscription of one session.
 *
 * @param clientId owning session
 * @param filter topic filter without any {@code $share/group/} prefix
 * @param shareGroup shared-subscription group, or null
 * @param qos maximum QoS granted
 * @param noLocal MQTT 5 No Local: do not deliver the session's own publications
 * @param retainAsPublished MQTT 5 Retain As Published
 * @param hideDeviceTopics anonymous subscribers never see {@code devices/...} topics through wildcards
 */
public record Subscription(
        String clientId,
        String filter,
        String shareGroup,
        int qos,
        boolean noLocal,
        boolean retainAsPublished,
        boolean hideDeviceTopics) {}
