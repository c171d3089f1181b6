package dev.mecgw.app.acl;

import dev.mecgw.app.store.Jdbc;
import java.util.List;
import javax.sql.DataSource;

/** {@link AclRuleStore} on the {@code acl_rules} table (V10__mqtt.sql, V110__acl_deny_rules.sql). */
public class PostgresAclRuleStore implements AclRuleStore {

    private final Jdbc jdbc;

    public PostgresAclRuleStore(DataSource dataSource) {
        this.jdbc = new Jdbc(dataSource, "ACL store");
    }

    @Override
    public List<AclRule> list() {
        return jdbc.queryList(
                "SELECT id, device_type, action, topic_filter, effect, anonymous FROM acl_rules ORDER BY id",
                Jdbc.NO_PARAMETERS,
                rs -> new AclRule(
                        rs.getLong(1),
                        rs.getString(2),
                        AclRule.Action.valueOf(rs.getString(3)),
                        rs.getString(4),
                        AclRule.Effect.valueOf(rs.getString(5)),
                        rs.getBoolean(6)));
    }

    @Override
    public AclRule create(AclRuleRequest request) {
        return jdbc.queryOne(
                        "INSERT INTO acl_rules (device_type, action, topic_filter, effect, anonymous)"
                                + " VALUES (?, ?, ?, ?, ?) RETURNING id",
                        ps -> {
                            ps.setString(1, request.deviceType());
                            ps.setString(2, request.action().name());
                            ps.setString(3, request.topicFilter());
                            ps.setString(4, request.effectOrAllow().name());
                            ps.setBoolean(5, request.forAnonymous());
                        },
                        rs -> new AclRule(
                                rs.getLong(1),
                                request.deviceType(),
                                request.action(),
                                request.topicFilter(),
                                request.effectOrAllow(),
                                request.forAnonymous()))
                .orElseThrow();
    }

    @Override
    public boolean delete(long id) {
        return jdbc.update("DELETE FROM acl_rules WHERE id = ?", ps -> ps.setLong(1, id)) > 0;
    }
}
