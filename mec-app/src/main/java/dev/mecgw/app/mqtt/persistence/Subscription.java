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
 * @param subscriptionId MQTT 5 Subscription Identifier (section 3.8.2.1.2), 0 when the SUBSCRIBE carried none
 */
public record Subscription(
        String clientId,
        String filter,
        String shareGroup,
        int qos,
        boolean noLocal,
        boolean retainAsPublished,
        boolean hideDeviceTopics,
        int subscriptionId) {

    /** A subscription without a Subscription Identifier. */
    public Subscription(
            String clientId,
            String filter,
            String shareGroup,
            int qos,
            boolean noLocal,
            boolean retainAsPublished,
            boolean hideDeviceTopics) {
        this(clientId, filter, shareGroup, qos, noLocal, retainAsPublished, hideDeviceTopics, 0);
    }
}
