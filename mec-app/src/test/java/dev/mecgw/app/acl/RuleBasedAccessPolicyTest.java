package dev.mecgw.app.acl;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RuleBasedAccessPolicyTest {

    private final List<AclRule> rules = new ArrayList<>();
    private final Principal sensor = new Principal("s1", "sensor");
    private final Principal camera = new Principal("c1", "camera");

    private RuleBasedAccessPolicy givenPolicy() {
        return givenPolicy(TopicScopes.NONE);
    }

    private RuleBasedAccessPolicy givenPolicy(TopicScopes scopes) {
        AclRuleStore store = new AclRuleStore() {
            @Override
            public List<AclRule> list() {
                return rules;
            }

            @Override
            public AclRule create(AclRuleRequest request) {
                throw new UnsupportedOperationException();
            }

            @Override
            public boolean delete(long id) {
                throw new UnsupportedOperationException();
            }
        };
        RuleBasedAccessPolicy policy = new RuleBasedAccessPolicy(store, scopes);
        policy.reload();
        return policy;
    }

    @Test
    void shouldAllowOwnTopicsAndDenyOthersWhenNoRules() {
        // given
        RuleBasedAccessPolicy policy = givenPolicy();
        // then
        assertThat(policy.mayPublish(sensor, "devices/s1/telemetry")).isTrue();
        assertThat(policy.mayPublish(sensor, "devices/s1/twin/reported")).isTrue();
        assertThat(policy.mayPublish(sensor, "devices/c1/telemetry")).isFalse();
        assertThat(policy.mayPublish(sensor, "site/alarms/fire")).isFalse();
        // issue 17: a device answers its own commands, and only its own
        assertThat(policy.mayPublish(sensor, "devices/s1/commands/reboot/response"))
                .isTrue();
        assertThat(policy.mayPublish(sensor, "devices/s1/commands/reboot")).isFalse();
        assertThat(policy.mayPublish(sensor, "devices/c1/commands/reboot/response"))
                .isFalse();
        assertThat(policy.maySubscribe(sensor, "devices/s1/commands/#")).isTrue();
        assertThat(policy.maySubscribe(sensor, "devices/s1/commands/reboot")).isTrue();
        assertThat(policy.maySubscribe(sensor, "devices/s1/twin/desired")).isTrue();
        assertThat(policy.maySubscribe(sensor, "devices/+/commands/#")).isFalse();
        assertThat(policy.maySubscribe(sensor, "#")).isFalse();
    }

    @Test
    void shouldGrantByDeviceTypeWhenRulesExist() {
        // given
        rules.add(new AclRule(1, "sensor", AclRule.Action.PUBLISH, "site/alarms/#"));
        rules.add(new AclRule(2, "camera", AclRule.Action.SUBSCRIBE, "site/alarms/#"));
        RuleBasedAccessPolicy policy = givenPolicy();
        // then
        assertThat(policy.mayPublish(sensor, "site/alarms/fire")).isTrue();
        assertThat(policy.mayPublish(camera, "site/alarms/fire")).isFalse();
        assertThat(policy.maySubscribe(camera, "site/alarms/+")).isTrue();
        assertThat(policy.maySubscribe(camera, "site/#")).isFalse();
        assertThat(policy.maySubscribe(sensor, "site/alarms/#")).isFalse();
    }

    @Test
    void shouldAllowOnlyWhatRulesAndScopeBothAllowWhenDeviceIsConfinedToItsSlicesTopics() {
        // given a rule granting site/alarms/# and a scope for s1 of its telemetry and site/alarms/fire
        rules.add(new AclRule(1, "sensor", AclRule.Action.PUBLISH, "site/alarms/#"));
        rules.add(new AclRule(2, "sensor", AclRule.Action.SUBSCRIBE, "site/alarms/#"));
        RuleBasedAccessPolicy policy = givenPolicy(id -> id.equals("s1")
                ? List.of("devices/s1/telemetry", "devices/s1/commands/#", "site/alarms/fire")
                : List.of());
        // then s1 keeps the intersection only
        assertThat(policy.confined(sensor)).isTrue();
        assertThat(policy.mayPublish(sensor, "devices/s1/telemetry")).isTrue();
        assertThat(policy.mayPublish(sensor, "devices/s1/frames")).isFalse();
        assertThat(policy.mayPublish(sensor, "site/alarms/fire")).isTrue();
        assertThat(policy.mayPublish(sensor, "site/alarms/smoke")).isFalse();
        assertThat(policy.maySubscribe(sensor, "devices/s1/commands/reboot")).isTrue();
        assertThat(policy.maySubscribe(sensor, "devices/s1/twin/desired")).isFalse();
        assertThat(policy.maySubscribe(sensor, "site/alarms/#")).isFalse();
        assertThat(policy.withinScope(sensor, "devices/s1/frames")).isFalse();
        // and an unconfined device is untouched
        Principal other = new Principal("s2", "sensor");
        assertThat(policy.confined(other)).isFalse();
        assertThat(policy.mayPublish(other, "devices/s2/frames")).isTrue();
        assertThat(policy.withinScope(other, "devices/s2/frames")).isTrue();
    }

    @Test
    void shouldKeepAnonymousOutOfDeviceTopicsWhenAnonymous() {
        // given
        RuleBasedAccessPolicy policy = givenPolicy();
        Principal anonymous = Principal.anonymous();
        // then
        assertThat(policy.mayPublish(anonymous, "bench/1")).isTrue();
        assertThat(policy.mayPublish(anonymous, "devices/s1/telemetry")).isFalse();
        assertThat(policy.maySubscribe(anonymous, "devices/#")).isFalse();
        assertThat(policy.maySubscribe(anonymous, "#")).isTrue();
    }

    @Test
    void shouldComputeCoverageWhenFiltersNest() {
        // then
        assertThat(TopicFilters.covers("a/#", "a/b/+")).isTrue();
        assertThat(TopicFilters.covers("a/+", "a/#")).isFalse();
        assertThat(TopicFilters.covers("a/+/c", "a/b/c")).isTrue();
        assertThat(TopicFilters.matches("a/+/c", "a/b/c")).isTrue();
        assertThat(TopicFilters.matches("a/#", "a")).isTrue();
    }

    @Test
    void shouldDenyFirstWhenDenyRuleOverlapsOwnTopicsAndGrants() {
        // given
        rules.add(new AclRule(1, "sensor", AclRule.Action.PUBLISH, "site/#"));
        rules.add(new AclRule(2, "sensor", AclRule.Action.PUBLISH, "site/secret/#", AclRule.Effect.DENY, false));
        rules.add(new AclRule(3, null, AclRule.Action.PUBLISH, "devices/+/frames", AclRule.Effect.DENY, false));
        rules.add(new AclRule(4, "sensor", AclRule.Action.SUBSCRIBE, "site/#"));
        rules.add(new AclRule(5, "sensor", AclRule.Action.SUBSCRIBE, "site/secret/#", AclRule.Effect.DENY, false));
        RuleBasedAccessPolicy policy = givenPolicy();
        // then
        assertThat(policy.mayPublish(sensor, "site/open")).isTrue();
        assertThat(policy.mayPublish(sensor, "site/secret/x")).isFalse();
        assertThat(policy.mayPublish(sensor, "devices/s1/telemetry")).isTrue();
        assertThat(policy.mayPublish(sensor, "devices/s1/frames")).isFalse();
        assertThat(policy.maySubscribe(sensor, "site/open/+")).isTrue();
        assertThat(policy.maySubscribe(sensor, "site/secret/x")).isFalse();
        assertThat(policy.maySubscribe(sensor, "site/#")).isFalse();
        assertThat(policy.maySubscribe(sensor, "site/+/x")).isFalse();
        assertThat(policy.mayPublish(camera, "site/secret/x")).isFalse();
    }

    @Test
    void shouldApplyAnonymousDenyRulesOnlyToAnonymousClients() {
        // given
        rules.add(new AclRule(1, null, AclRule.Action.PUBLISH, "site/#"));
        rules.add(new AclRule(2, null, AclRule.Action.PUBLISH, "site/#", AclRule.Effect.DENY, true));
        rules.add(new AclRule(3, null, AclRule.Action.SUBSCRIBE, "bench/private/#", AclRule.Effect.DENY, true));
        RuleBasedAccessPolicy policy = givenPolicy();
        Principal anonymous = Principal.anonymous();
        // then
        assertThat(policy.mayPublish(anonymous, "site/a")).isFalse();
        assertThat(policy.mayPublish(anonymous, "bench/1")).isTrue();
        assertThat(policy.mayPublish(sensor, "site/a")).isTrue();
        assertThat(policy.maySubscribe(anonymous, "bench/public/#")).isTrue();
        assertThat(policy.maySubscribe(anonymous, "bench/#")).isFalse();
        assertThat(policy.maySubscribe(anonymous, "#")).isFalse();
    }

    @Test
    void shouldNeverGrantDollarTopicsWhenRulesNameThem() {
        // given
        rules.add(new AclRule(1, null, AclRule.Action.PUBLISH, "$SYS/#"));
        RuleBasedAccessPolicy policy = givenPolicy();
        // then
        assertThat(policy.mayPublish(sensor, "$SYS/x")).isFalse();
        assertThat(policy.mayPublish(Principal.anonymous(), "$SYS/x")).isFalse();
    }

    @Test
    void shouldFindOverlapWhenFiltersShareATopic() {
        // then
        assertThat(TopicFilters.intersects("a/#", "a")).isTrue();
        assertThat(TopicFilters.intersects("a/+/c", "a/b/+")).isTrue();
        assertThat(TopicFilters.intersects("a/b", "a/c")).isFalse();
        assertThat(TopicFilters.intersects("a/+", "a/b/c")).isFalse();
        assertThat(TopicFilters.intersects("#", "$SYS/x")).isFalse();
        assertThat(TopicFilters.intersects("$SYS/#", "$SYS/x")).isTrue();
    }
}
