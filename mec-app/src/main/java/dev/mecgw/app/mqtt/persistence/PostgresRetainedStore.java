package dev.mecgw.app.mqtt.persistence;

import dev.mecgw.app.problem.ErrorKind;
import dev.mecgw.app.problem.GatewayException;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.vertx.core.json.JsonArray;
import io.vertx.mqtt.MqttWill;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;

/** {@link RetainedStore} on the {@code mqtt_retained} table (V10__mqtt.sql). */
public class PostgresRetainedStore implements RetainedStore {

    private final DataSource dataSource;

    public PostgresRetainedStore(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    @Override
    public List<BrokerMessage> loadAll() {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement("SELECT topic, payload, qos, properties::text, expires_at"
                        + " FROM mqtt_retained WHERE expires_at IS NULL OR expires_at > now()");
                ResultSet rs = ps.executeQuery()) {
            List<BrokerMessage> messages = new ArrayList<>();
            while (rs.next()) {
                Timestamp expires = rs.getTimestamp(5);
                MqttProperties properties = MqttWill.propertiesFromJson(new JsonArray(rs.getString(4)));
                messages.add(new BrokerMessage(
                        rs.getString(1),
                        rs.getBytes(2),
                        rs.getInt(3),
                        true,
                        properties,
                        expires == null ? 0 : expires.getTime(),
                        null));
            }
            return messages;
        } catch (SQLException e) {
            throw unavailable(e);
        }
    }

    @Override
    public void put(BrokerMessage message) {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement("INSERT INTO mqtt_retained"
                        + " (topic, payload, qos, properties, expires_at) VALUES (?, ?, ?, ?::jsonb, ?)"
                        + " ON CONFLICT (topic) DO UPDATE SET payload = excluded.payload, qos = excluded.qos,"
                        + " properties = excluded.properties, expires_at = excluded.expires_at, updated_at = now()")) {
            ps.setString(1, message.topic());
            ps.setBytes(2, message.payload());
            ps.setInt(3, message.qos());
            ps.setString(4, MqttWill.propertiesToJson(message.properties()).encode());
            if (message.expiresAtMillis() == 0) {
                ps.setNull(5, Types.TIMESTAMP_WITH_TIMEZONE);
            } else {
                ps.setTimestamp(5, new Timestamp(message.expiresAtMillis()));
            }
            ps.executeUpdate();
        } catch (SQLException e) {
            throw unavailable(e);
        }
    }

    @Override
    public void remove(String topic) {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement("DELETE FROM mqtt_retained WHERE topic = ?")) {
            ps.setString(1, topic);
            ps.executeUpdate();
        } catch (SQLException e) {
            throw unavailable(e);
        }
    }

    private static GatewayException unavailable(SQLException e) {
        return new GatewayException(ErrorKind.UNAVAILABLE, "Retained message store unavailable", e);
    }
}
