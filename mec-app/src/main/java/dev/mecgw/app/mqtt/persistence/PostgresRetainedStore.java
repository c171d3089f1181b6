package dev.mecgw.app.mqtt.persistence;

import dev.mecgw.app.store.Jdbc;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.vertx.core.json.JsonArray;
import io.vertx.mqtt.MqttWill;
import java.sql.Timestamp;
import java.sql.Types;
import java.util.List;
import javax.sql.DataSource;

/** {@link RetainedStore} on the {@code mqtt_retained} table (V10__mqtt.sql). */
public class PostgresRetainedStore implements RetainedStore {

    private final Jdbc jdbc;

    /** Keeps retained messages in the gateway database so that they survive a restart. */
    public PostgresRetainedStore(DataSource dataSource) {
        this.jdbc = new Jdbc(dataSource, "Retained message store");
    }

    @Override
    public List<BrokerMessage> loadAll() {
        return jdbc.queryList(
                "SELECT topic, payload, qos, properties::text, expires_at"
                        + " FROM mqtt_retained WHERE expires_at IS NULL OR expires_at > now()",
                Jdbc.NO_PARAMETERS,
                rs -> {
                    Timestamp expires = rs.getTimestamp(5);
                    MqttProperties properties = MqttWill.propertiesFromJson(new JsonArray(rs.getString(4)));
                    return new BrokerMessage(
                            rs.getString(1),
                            rs.getBytes(2),
                            rs.getInt(3),
                            true,
                            properties,
                            expires == null ? 0 : expires.getTime(),
                            null);
                });
    }

    @Override
    public void put(BrokerMessage message) {
        String sql = "INSERT INTO mqtt_retained"
                + " (topic, payload, qos, properties, expires_at) VALUES (?, ?, ?, ?::jsonb, ?)"
                + " ON CONFLICT (topic) DO UPDATE SET payload = excluded.payload, qos = excluded.qos,"
                + " properties = excluded.properties, expires_at = excluded.expires_at, updated_at = now()";
        jdbc.update(sql, ps -> {
            ps.setString(1, message.topic());
            ps.setBytes(2, message.payload());
            ps.setInt(3, message.qos());
            ps.setString(4, MqttWill.propertiesToJson(message.properties()).encode());
            if (message.expiresAtMillis() == 0) {
                ps.setNull(5, Types.TIMESTAMP_WITH_TIMEZONE);
            } else {
                ps.setTimestamp(5, new Timestamp(message.expiresAtMillis()));
            }
        });
    }

    @Override
    public void remove(String topic) {
        jdbc.update("DELETE FROM mqtt_retained WHERE topic = ?", ps -> ps.setString(1, topic));
    }
}
