package dev.mecgw.app.acl;

import java.util.List;

/**
 * The site's access policy: each device owns its {@code devices/{id}/...} topics (publish telemetry,
 * events, twin/reported, frames, commands/{name}/response; subscribe to commands/# and twin/desired), ACL rules grant more, and
 * anonymous clients (only when allowed) get every topic outside {@code devices/}. A device confined by
 * its {@link TopicScopes} (its 5G slice, issue #7) gets only what both allow. DENY rules (issue 20) come first: a
 * matching DENY refuses whatever the own topics or an ALLOW rule would grant; for SUBSCRIBE a DENY refuses every
 * filter that could receive a topic it covers. Topics starting with '$' are never granted. Rules are held in an
 * immutable snapshot that {@link #reload()} swaps, so checks never block. The Sparkplug B namespace (issue 21.3) is
 * closed to anonymous clients; an edge node (a device of type {@value SparkplugTopic#NODE_DEVICE_TYPE}) owns its
 * births, data and deaths and may subscribe to its commands ({@link SparkplugTopic#nodeMayPublish}).
 */
public class RuleBasedAccessPolicy implements AccessPolicy {

    private static final List<String> OWN_PUBLISH = List.of("telemetry", "events", "twin/reported", "frames");
    /** Command responses (issue 17, docs/commands.md). */
    private static final String OWN_RESPONSES = "commands/+/response";

    private static final List<String> OWN_SUBSCRIBE = List.of("commands/#", "twin/desired");

    private final AclRuleStore store;
    private final TopicScopes scopes;
    private volatile List<AclRule> rules = List.of();

    public RuleBasedAccessPolicy(AclRuleStore store) {
        this(store, TopicScopes.NONE);
    }

    public RuleBasedAccessPolicy(AclRuleStore store, TopicScopes scopes) {
        this.store = store;
        this.scopes = scopes;
    }

    /** Re-reads the rules from the store. Blocking; call after every rule change. */
    public void reload() {
        rules = List.copyOf(store.list());
    }

    @Override
    public boolean mayPublish(Principal principal, String topic) {
        if (topic.startsWith("$") || denied(principal, AclRule.Action.PUBLISH, d -> TopicFilters.matches(d, topic))) {
            return false;
        }
        if (principal.isAnonymous()) {
            return !isDeviceTopic(topic) && !SparkplugTopic.isInNamespace(topic);
        }
        if (isSparkplugNode(principal) && SparkplugTopic.nodeMayPublish(principal.deviceId(), topic)) {
            return withinScope(principal, topic);
        }
        return withinScope(principal, topic) && ruleAllowsPublish(principal, topic);
    }

    @Override
    public boolean withinScope(Principal principal, String topic) {
        if (principal.isAnonymous()) {
            return true;
        }
        List<String> scope = scopes.scopeOf(principal.deviceId());
        return scope.isEmpty() || scope.stream().anyMatch(filter -> TopicFilters.matches(filter, topic));
    }

    @Override
    public boolean confined(Principal principal) {
        return !principal.isAnonymous() && !scopes.scopeOf(principal.deviceId()).isEmpty();
    }

    private boolean ruleAllowsPublish(Principal principal, String topic) {
        String own = DeviceTopic.ownPrefix(principal.deviceId());
        if (topic.startsWith(own)
                && (OWN_PUBLISH.contains(topic.substring(own.length()))
                        || TopicFilters.matches(own + OWN_RESPONSES, topic))) {
            return true;
        }
        return granted(principal, AclRule.Action.PUBLISH, rule -> TopicFilters.matches(rule, topic));
    }

    @Override
    public boolean maySubscribe(Principal principal, String filter) {
        if (denied(principal, AclRule.Action.SUBSCRIBE, d -> TopicFilters.intersects(d, filter))) {
            return false;
        }
        if (principal.isAnonymous()) {
            // Leading wildcards are allowed; the broker hides devices/ topics from anonymous subscribers.
            return !isDeviceTopic(filter) && !filter.startsWith("$");
        }
        List<String> scope = scopes.scopeOf(principal.deviceId());
        if (!scope.isEmpty() && scope.stream().noneMatch(outer -> TopicFilters.covers(outer, filter))) {
            return false;
        }
        if (isSparkplugNode(principal) && SparkplugTopic.nodeMaySubscribe(principal.deviceId(), filter)) {
            return true;
        }
        String own = DeviceTopic.ownPrefix(principal.deviceId());
        for (String suffix : OWN_SUBSCRIBE) {
            if (TopicFilters.covers(own + suffix, filter)) {
                return true;
            }
        }
        return granted(principal, AclRule.Action.SUBSCRIBE, rule -> TopicFilters.covers(rule, filter));
    }

    private boolean granted(Principal principal, AclRule.Action action, java.util.function.Predicate<String> test) {
        return anyRule(principal, action, AclRule.Effect.ALLOW, test);
    }

    private boolean denied(Principal principal, AclRule.Action action, java.util.function.Predicate<String> test) {
        return anyRule(principal, action, AclRule.Effect.DENY, test);
    }

    private boolean anyRule(
            Principal principal,
            AclRule.Action action,
            AclRule.Effect effect,
            java.util.function.Predicate<String> test) {
        for (AclRule rule : rules) {
            if (rule.effect() == effect
                    && rule.action() == action
                    && rule.appliesTo(principal)
                    && test.test(rule.topicFilter())) {
                return true;
            }
        }
        return false;
    }

    private static boolean isSparkplugNode(Principal principal) {
        return SparkplugTopic.NODE_DEVICE_TYPE.equals(principal.deviceType());
    }

    private static boolean isDeviceTopic(String topicOrFilter) {
        return topicOrFilter.equals(DeviceTopic.ROOT) || DeviceTopic.isBelowRoot(topicOrFilter);
    }
}
