package dev.mecgw.app.events;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mecgw.app.store.Jdbc;
import java.sql.PreparedStatement;
import java.util.ArrayList;
import java.util.List;
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

    private static final String INSERT =
            "INSERT INTO events (device_id, kind, severity, payload) VALUES (?, ?, ?, ?::jsonb)";

    @Override
    public void record(String deviceId, String kind, String severity, Map<String, ?> payload) {
        String payloadJson = write(payload);
        jdbc.update(INSERT, ps -> {
            ps.setString(1, deviceId);
            ps.setString(2, kind);
            ps.setString(3, severity);
            ps.setString(4, payloadJson);
        });
        jdbc.afterCommit(() -> announcer.announce(deviceId, kind, severity, payload));
    }

    @Override
    public void recordAll(List<Entry> entries) {
        if (entries.isEmpty()) {
            return;
        }
        List<String> payloads = new ArrayList<>(entries.size());
        entries.forEach(e -> payloads.add(write(e.payload())));
        jdbc.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement(INSERT)) {
                for (int i = 0; i < entries.size(); i++) {
                    Entry e = entries.get(i);
                    ps.setString(1, e.deviceId());
                    ps.setString(2, e.kind());
                    ps.setString(3, e.severity());
                    ps.setString(4, payloads.get(i));
                    ps.addBatch();
                }
                ps.executeBatch();
            }
            return null;
        });
        jdbc.afterCommit(
                () -> entries.forEach(e -> announcer.announce(e.deviceId(), e.kind(), e.severity(), e.payload())));
    }

    private String write(Map<String, ?> payload) {
        try {
            return json.writeValueAsString(payload);
        } catch (JsonProcessingException e) {
            throw Jdbc.unavailable(STORE, e);
        }
    }
}
