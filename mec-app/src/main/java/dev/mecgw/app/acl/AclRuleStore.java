package dev.mecgw.app.acl;

import java.util.List;

/** Persistent ACL rules. Blocking (JDBC); call from worker threads. */
public interface AclRuleStore {

    /** All rules, ordered by id. */
    List<AclRule> list();

    /** Stores a new rule and returns it with its id. */
    AclRule create(AclRuleRequest request);

    /** Removes a rule; false when it did not exist. */
    boolean delete(long id);
}
