package dev.mecgw.app.inference;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mecgw.app.events.EventAnnouncer;
import dev.mecgw.app.problem.ErrorKind;
import dev.mecgw.app.problem.GatewayException;
import dev.mecgw.inference.event.InferenceEvent;
import dev.mecgw.inference.event.InferenceEventSink;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;
import javax.sql.DataSource;

/** Writes inference events into the {@code events} table, one transaction per batch, and announces them. */
public class PostgresInferenceEventSink implements InferenceEventSink {

    private static final String INSERT =
            "INSERT INTO events (device_id, kind, severity, payload) VALUES (?, ?, ?, ?::jsonb)";

    private final DataSource dataSource;
    private final ObjectMapper json;
    private final EventAnnouncer announcer;

    public PostgresInferenceEventSink(DataSource dataSource, ObjectMapper json, EventAnnouncer announcer) {
        this.dataSource = dataSource;
        this.json = json;
        this.announcer = announcer;
    }

    @Override
    public void publish(List<InferenceEvent> events) {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try (PreparedStatement ps = c.prepareStatement(INSERT)) {
                for (InferenceEvent event : events) {
                    ps.setString(1, event.deviceId());
                    ps.setString(2, event.kind());
                    ps.setString(3, severity(event.kind()));
                    ps.setString(4, json.writeValueAsString(event.payload()));
                    ps.addBatch();
                }
                ps.executeBatch();
                c.commit();
            } catch (SQLException | JsonProcessingException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        } catch (SQLException | JsonProcessingException e) {
            throw new GatewayException(ErrorKind.UNAVAILABLE, "Event store unavailable", e);
        }
        // After the commit, so that a QoS rule (issue 7) reacts only to detections that are stored.
        for (InferenceEvent event : events) {
            announcer.announce(event.deviceId(), event.kind(), severity(event.kind()), event.payload());
        }
    }

    static String severity(String kind) {
        return kind.endsWith(".anomaly") ? "warning" : "info";
    }
}
