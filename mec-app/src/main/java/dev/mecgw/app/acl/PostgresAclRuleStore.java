package dev.mecgw.app.acl;

import dev.mecgw.app.problem.ErrorKind;
import dev.mecgw.app.problem.GatewayException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;

/** {@link AclRuleStore} on the {@code acl_rules} table (V10__mqtt.sql). */
public class PostgresAclRuleStore implements AclRuleStore {

    private final DataSource dataSource;

    public PostgresAclRuleStore(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    @Override
    public List<AclRule> list() {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps =
                        c.prepareStatement("SELECT id, device_type, action, topic_filter FROM acl_rules ORDER BY id");
                ResultSet rs = ps.executeQuery()) {
            List<AclRule> rules = new ArrayList<>();
            while (rs.next()) {
                rules.add(new AclRule(
                        rs.getLong(1), rs.getString(2), AclRule.Action.valueOf(rs.getString(3)), rs.getString(4)));
            }
            return rules;
        } catch (SQLException e) {
            throw unavailable(e);
        }
    }

    @Override
    public AclRule create(AclRuleRequest request) {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement("INSERT INTO acl_rules (device_type, action, topic_filter)"
                        + " VALUES (?, ?, ?) RETURNING id")) {
            ps.setString(1, request.deviceType());
            ps.setString(2, request.action().name());
            ps.setString(3, request.topicFilter());
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return new AclRule(rs.getLong(1), request.deviceType(), request.action(), request.topicFilter());
            }
        } catch (SQLException e) {
            throw unavailable(e);
        }
    }

    @Override
    public boolean delete(long id) {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement("DELETE FROM acl_rules WHERE id = ?")) {
            ps.setLong(1, id);
            return ps.executeUpdate() > 0;
        } catch (SQLException e) {
            throw unavailable(e);
        }
    }

    private static GatewayException unavailable(SQLException e) {
        return new GatewayException(ErrorKind.UNAVAILABLE, "ACL store unavailable", e);
    }
}
