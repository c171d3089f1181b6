package dev.mecgw.app.acl;

import dev.mecgw.app.problem.GatewayException;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

/**
 * Body of {@code POST /api/v1/acl}.
 *
 * @param deviceType device type the rule applies to; omitted means every registered device; must be omitted when
 *     {@code anonymous} is true
 * @param action PUBLISH or SUBSCRIBE
 * @param topicFilter MQTT topic filter, validated by {@link TopicFilters#validateFilter}
 * @param effect ALLOW or DENY; omitted means ALLOW
 * @param anonymous true for a rule on anonymous clients (DENY only); omitted means false
 */
public record AclRuleRequest(
        @Size(max = 64) String deviceType,
        @NotNull AclRule.Action action,
        @NotBlank @Size(max = 512) String topicFilter,
        AclRule.Effect effect,
        Boolean anonymous) {

    /** An ALLOW rule for devices. */
    public AclRuleRequest(String deviceType, AclRule.Action action, String topicFilter) {
        this(deviceType, action, topicFilter, AclRule.Effect.ALLOW, false);
    }

    /** The effect, ALLOW when omitted. */
    public AclRule.Effect effectOrAllow() {
        return effect == null ? AclRule.Effect.ALLOW : effect;
    }

    /** Whether the rule is for anonymous clients, false when omitted. */
    public boolean forAnonymous() {
        return Boolean.TRUE.equals(anonymous);
    }

    /**
     * Checks what the annotations cannot: the filter's syntax and the anonymous-client combination.
     *
     * @throws GatewayException BAD_REQUEST naming the field
     */
    public void validate() {
        TopicFilters.validateFilter(topicFilter);
        if (forAnonymous() && deviceType != null) {
            throw GatewayException.badField("deviceType", "must be omitted for a rule on anonymous clients");
        }
        if (forAnonymous() && effectOrAllow() == AclRule.Effect.ALLOW) {
            throw GatewayException.badField(
                    "effect",
                    "rules on anonymous clients can only DENY: they already use every topic outside devices/");
        }
    }
}
