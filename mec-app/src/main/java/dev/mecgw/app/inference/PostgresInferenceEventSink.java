package dev.mecgw.app.inference;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mecgw.app.events.EventAnnouncer;
import dev.mecgw.app.store.Jdbc;
import dev.mecgw.inference.event.InferenceEvent;
import dev.mecgw.inference.event.InferenceEventSink;
import java.sql.PreparedStatement;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;

/** Writes inference events into the {@code events} table, one transaction per batch, and announces them. */
public class PostgresInferenceEventSink implements InferenceEventSink {

    private static final String INSERT =
            "INSERT INTO events (device_id, kind, severity, payload) VALUES (?, ?, ?, ?::jsonb)";

    private static final String STORE = "Event store";

    private final Jdbc jdbc;
    private final ObjectMapper json;
    private final EventAnnouncer announcer;

    public PostgresInferenceEventSink(DataSource dataSource, ObjectMapper json, EventAnnouncer announcer) {
        this.jdbc = new Jdbc(dataSource, STORE);
        this.json = json;
        this.announcer = announcer;
    }

    @Override
    public void publish(List<InferenceEvent> events) {
        List<String> payloads = new ArrayList<>(events.size());
        try {
            for (InferenceEvent event : events) {
                payloads.add(json.writeValueAsString(event.payload()));
            }
        } catch (JsonProcessingException e) {
            throw Jdbc.unavailable(STORE, e);
        }
        jdbc.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement(INSERT)) {
                for (int i = 0; i < events.size(); i++) {
                    InferenceEvent event = events.get(i);
                    ps.setString(1, event.deviceId());
                    ps.setString(2, event.kind());
                    ps.setString(3, severity(event.kind()));
                    ps.setString(4, payloads.get(i));
                    ps.addBatch();
                }
                return ps.executeBatch();
            }
        });
        // After the commit, so that a QoS rule (issue 7) reacts only to detections that are stored.
        for (InferenceEvent event : events) {
            announcer.announce(event.deviceId(), event.kind(), severity(event.kind()), event.payload());
        }
    }

    static String severity(String kind) {
        return kind.endsWith(".anomaly") ? "warning" : "info";
    }
}
