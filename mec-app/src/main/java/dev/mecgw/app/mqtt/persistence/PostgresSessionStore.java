package dev.mecgw.app.mqtt.persistence;

import dev.mecgw.app.acl.Principal;
import dev.mecgw.app.store.Jdbc;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.mqtt.MqttWill;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.sql.Types;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;

/** {@link SessionStore} on the {@code mqtt_sessions} and {@code mqtt_session_messages} tables (V11). */
public class PostgresSessionStore implements SessionStore {

    private final Jdbc jdbc;

    /** Keeps persistent sessions and their offline queues in the gateway database so that they survive kill -9. */
    public PostgresSessionStore(DataSource dataSource) {
        this.jdbc = new Jdbc(dataSource, "MQTT session store");
    }

    @Override
    public List<StoredSession> loadAll() {
        return jdbc.withConnection(c -> {
            try (Statement st = c.createStatement()) {
                st.executeUpdate("DELETE FROM mqtt_sessions WHERE expires_at IS NOT NULL AND expires_at <= now()");
                Map<String, List<StoredMessage>> queues = loadMessages(st);
                List<StoredSession> sessions = new ArrayList<>();
                try (ResultSet rs = st.executeQuery("SELECT client_id, device_id, device_type, subscriptions::text,"
                        + " expiry_seconds, expires_at FROM mqtt_sessions")) {
                    while (rs.next()) {
                        String clientId = rs.getString(1);
                        Timestamp expires = rs.getTimestamp(6);
                        sessions.add(new StoredSession(
                                clientId,
                                new Principal(rs.getString(2), rs.getString(3)),
                                subscriptions(clientId, new JsonArray(rs.getString(4))),
                                rs.getLong(5),
                                expires == null ? 0 : expires.getTime(),
                                queues.getOrDefault(clientId, List.of())));
                    }
                }
                return sessions;
            }
        });
    }

    private static Map<String, List<StoredMessage>> loadMessages(Statement st) throws SQLException {
        Map<String, List<StoredMessage>> queues = new LinkedHashMap<>();
        try (ResultSet rs = st.executeQuery("SELECT client_id, seq, topic, payload, qos, retain, properties::text,"
                + " expires_at FROM mqtt_session_messages ORDER BY client_id, seq")) {
            while (rs.next()) {
                Timestamp expires = rs.getTimestamp(8);
                BrokerMessage m = new BrokerMessage(
                        rs.getString(3),
                        rs.getBytes(4),
                        rs.getInt(5),
                        rs.getBoolean(6),
                        MqttWill.propertiesFromJson(new JsonArray(rs.getString(7))),
                        expires == null ? 0 : expires.getTime(),
                        null);
                queues.computeIfAbsent(rs.getString(1), k -> new ArrayList<>())
                        .add(new StoredMessage(rs.getLong(2), m, rs.getInt(5), rs.getBoolean(6)));
            }
        }
        return queues;
    }

    private static List<Subscription> subscriptions(String clientId, JsonArray json) {
        List<Subscription> list = new ArrayList<>();
        for (int i = 0; i < json.size(); i++) {
            JsonObject s = json.getJsonObject(i);
            list.add(new Subscription(
                    clientId,
                    s.getString("filter"),
                    s.getString("shareGroup"),
                    s.getInteger("qos"),
                    s.getBoolean("noLocal"),
                    s.getBoolean("retainAsPublished"),
                    s.getBoolean("hideDeviceTopics")));
        }
        return list;
    }

    @Override
    public void save(
            String clientId,
            Principal principal,
            List<Subscription> subscriptions,
            long expirySeconds,
            long expiresAtMillis) {
        JsonArray json = new JsonArray();
        for (Subscription s : subscriptions) {
            json.add(new JsonObject()
                    .put("filter", s.filter())
                    .put("shareGroup", s.shareGroup())
                    .put("qos", s.qos())
                    .put("noLocal", s.noLocal())
                    .put("retainAsPublished", s.retainAsPublished())
                    .put("hideDeviceTopics", s.hideDeviceTopics()));
        }
        String sql = "INSERT INTO mqtt_sessions (client_id, device_id,"
                + " device_type, subscriptions, expiry_seconds, expires_at) VALUES (?, ?, ?, ?::jsonb, ?, ?)"
                + " ON CONFLICT (client_id) DO UPDATE SET device_id = excluded.device_id,"
                + " device_type = excluded.device_type, subscriptions = excluded.subscriptions,"
                + " expiry_seconds = excluded.expiry_seconds, expires_at = excluded.expires_at,"
                + " updated_at = now()";
        jdbc.update(sql, ps -> {
            ps.setString(1, clientId);
            ps.setString(2, principal.deviceId());
            ps.setString(3, principal.deviceType());
            ps.setString(4, json.encode());
            ps.setLong(5, expirySeconds);
            setInstant(ps, 6, expiresAtMillis);
        });
    }

    @Override
    public void append(String clientId, StoredMessage stored) {
        BrokerMessage m = stored.message();
        String sql = "INSERT INTO mqtt_session_messages (client_id, seq, topic,"
                + " payload, qos, retain, properties, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?::jsonb, ?)"
                + " ON CONFLICT DO NOTHING";
        jdbc.update(sql, ps -> {
            ps.setString(1, clientId);
            ps.setLong(2, stored.seq());
            ps.setString(3, m.topic());
            ps.setBytes(4, m.payload());
            ps.setInt(5, stored.qos());
            ps.setBoolean(6, stored.retain());
            ps.setString(7, MqttWill.propertiesToJson(m.properties()).encode());
            setInstant(ps, 8, m.expiresAtMillis());
        });
    }

    @Override
    public void remove(String clientId, long seq) {
        update("DELETE FROM mqtt_session_messages WHERE client_id = ? AND seq = ?", clientId, seq);
    }

    @Override
    public void forget(String clientId) {
        update("DELETE FROM mqtt_sessions WHERE client_id = ?", clientId, null);
    }

    private void update(String sql, String clientId, Long seq) {
        jdbc.update(sql, ps -> {
            ps.setString(1, clientId);
            if (seq != null) {
                ps.setLong(2, seq);
            }
        });
    }

    private static void setInstant(PreparedStatement ps, int index, long epochMillis) throws SQLException {
        if (epochMillis == 0) {
            ps.setNull(index, Types.TIMESTAMP_WITH_TIMEZONE);
        } else {
            ps.setTimestamp(index, new Timestamp(epochMillis));
        }
    }
}
