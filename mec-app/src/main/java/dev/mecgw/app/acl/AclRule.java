package dev.mecgw.app.acl;

/**
 * One rule beyond a device's own topics, e.g. "devices of type sensor may publish site/alarms/#" or "anonymous
 * clients may not subscribe to site/secret/#". DENY rules are evaluated first (docs/mqtt.md, "Access rules").
 *
 * @param id database id
 * @param deviceType the device type the rule applies to, or null for every registered device (always null for a
 *     rule on anonymous clients)
 * @param action what the rule allows or denies
 * @param topicFilter MQTT topic filter the rule covers
 * @param effect whether the rule grants or refuses
 * @param anonymous true when the rule applies to anonymous clients instead of devices (DENY only)
 */
public record AclRule(long id, String deviceType, Action action, String topicFilter, Effect effect, boolean anonymous) {

    /** An ALLOW rule for devices. */
    public AclRule(long id, String deviceType, Action action, String topicFilter) {
        this(id, deviceType, action, topicFilter, Effect.ALLOW, false);
    }

    /** The operation a rule covers. */
    public enum Action {
        PUBLISH,
        SUBSCRIBE
    }

    /** Whether a rule grants or refuses; a matching DENY wins over every grant. */
    public enum Effect {
        ALLOW,
        DENY
    }

    /** True when the rule speaks about this principal. */
    boolean appliesTo(Principal principal) {
        if (anonymous) {
            return principal.isAnonymous();
        }
        return !principal.isAnonymous() && (deviceType == null || deviceType.equals(principal.deviceType()));
    }
}
