package dev.mecgw.app.acl.app;

import dev.mecgw.app.acl.AclRuleStore;
import dev.mecgw.app.acl.PostgresAclRuleStore;
import dev.mecgw.app.acl.RuleBasedAccessPolicy;
import dev.mecgw.app.acl.TopicScopes;
import dev.mecgw.app.gateway.LifecyclePhase;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.Produces;
import javax.sql.DataSource;

/**
 * Wires the ACL store and the access policy (loaded once at start-up, reloaded on every change). The
 * policy bean is injectable both as {@link RuleBasedAccessPolicy} and as its contract AccessPolicy. A
 * {@link TopicScopes} bean, when there is one (the 5G slices'), narrows it.
 */
@ApplicationScoped
public class AclProducers {

    @Produces
    @ApplicationScoped
    AclRuleStore aclRuleStore(DataSource dataSource) {
        return new PostgresAclRuleStore(dataSource);
    }

    @Produces
    @ApplicationScoped
    @Startup(LifecyclePhase.Order.FRONT_ENDS_START)
    RuleBasedAccessPolicy ruleBasedAccessPolicy(AclRuleStore store, Instance<TopicScopes> scopes) {
        RuleBasedAccessPolicy policy =
                new RuleBasedAccessPolicy(store, scopes.isResolvable() ? scopes.get() : TopicScopes.NONE);
        policy.reload();
        return policy;
    }
}
