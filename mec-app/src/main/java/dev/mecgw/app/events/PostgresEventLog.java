package dev.mecgw.app.events;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mecgw.app.store.Jdbc;
import java.util.Map;
import javax.sql.DataSource;

/** {@link EventLog} on the local PostgreSQL; announces each stored row through the {@link EventAnnouncer}. */
public class PostgresEventLog implements EventLog {

    private static final String STORE = "Event log";

    private final Jdbc jdbc;
    private final ObjectMapper json;
    private final EventAnnouncer announcer;

    public PostgresEventLog(DataSource dataSource, ObjectMapper json, EventAnnouncer announcer) {
        this.jdbc = new Jdbc(dataSource, STORE);
        this.json = json;
        this.announcer = announcer;
    }

    @Override
    public void record(String deviceId, String kind, String severity, Map<String, ?> payload) {
        String payloadJson;
        try {
            payloadJson = json.writeValueAsString(payload);
        } catch (JsonProcessingException e) {
            throw Jdbc.unavailable(STORE, e);
        }
        jdbc.update("INSERT INTO events (device_id, kind, severity, payload) VALUES (?, ?, ?, ?::jsonb)", ps -> {
            ps.setString(1, deviceId);
            ps.setString(2, kind);
            ps.setString(3, severity);
            ps.setString(4, payloadJson);
        });
        announcer.announce(deviceId, kind, severity, payload);
    }
}
