package dev.mecgw.app.events;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mecgw.app.problem.ErrorKind;
import dev.mecgw.app.problem.GatewayException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Map;
import javax.sql.DataSource;

/** {@link EventLog} on the local PostgreSQL; announces each stored row through the {@link EventAnnouncer}. */
public class PostgresEventLog implements EventLog {

    private final DataSource dataSource;
    private final ObjectMapper json;
    private final EventAnnouncer announcer;

    public PostgresEventLog(DataSource dataSource, ObjectMapper json, EventAnnouncer announcer) {
        this.dataSource = dataSource;
        this.json = json;
        this.announcer = announcer;
    }

    @Override
    public void record(String deviceId, String kind, String severity, Map<String, ?> payload) {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement(
                        "INSERT INTO events (device_id, kind, severity, payload) VALUES (?, ?, ?, ?::jsonb)")) {
            ps.setString(1, deviceId);
            ps.setString(2, kind);
            ps.setString(3, severity);
            ps.setString(4, json.writeValueAsString(payload));
            ps.executeUpdate();
        } catch (SQLException | JsonProcessingException e) {
            throw new GatewayException(ErrorKind.UNAVAILABLE, "Event log unavailable", e);
        }
        announcer.announce(deviceId, kind, severity, payload);
    }
}
