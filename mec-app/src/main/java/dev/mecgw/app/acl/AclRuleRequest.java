package dev.mecgw.app.acl;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

/**
 * Body of {@code POST /api/v1/acl}.
 *
 * @param deviceType device type the rule applies to; omitted means every registered device
 * @param action PUBLISH or SUBSCRIBE
 * @param topicFilter MQTT topic filter, validated by {@link TopicFilters#validateFilter}
 */
public record AclRuleRequest(
        @Size(max = 64) String deviceType,
        @NotNull AclRule.Action action,
        @NotBlank @Size(max = 512) String topicFilter) {}
