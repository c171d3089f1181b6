package dev.mecgw.app.acl;

/**
 * One grant beyond a device's own topics, e.g. "devices of type sensor may publish site/alarms/#".
 *
 * @param id database id
 * @param deviceType the device type the rule applies to, or null for every registered device
 * @param action what the rule allows
 * @param topicFilter MQTT topic filter the grant covers
 */
public record AclRule(long id, String deviceType, Action action, String topicFilter) {

    /** The operation a rule grants. */
    public enum Action {
        PUBLISH,
        SUBSCRIBE
    }
}
