package dev.mecgw.app.events;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mecgw.app.problem.ErrorKind;
import dev.mecgw.app.problem.GatewayException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Map;
import javax.sql.DataSource;
import org.jboss.logging.Logger;

/** {@link EventLog} on the local PostgreSQL; announces each stored row as an {@link EventRecorded}. */
@ApplicationScoped
public class PostgresEventLog implements EventLog {

    private static final Logger LOG = Logger.getLogger(PostgresEventLog.class);

    private final DataSource dataSource;
    private final ObjectMapper json;
    private final Event<EventRecorded> recorded;

    @Inject
    public PostgresEventLog(DataSource dataSource, ObjectMapper json, Event<EventRecorded> recorded) {
        this.dataSource = dataSource;
        this.json = json;
        this.recorded = recorded;
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
        // Asynchronous: observers (QoS rules, issue 7) may call the network; ingest must not wait for them.
        try {
            recorded.fireAsync(new EventRecorded(deviceId, kind, severity, payload));
        } catch (RuntimeException e) {
            // The row is stored; a rejected hand-off (shutdown) only loses the reaction, not the event.
            LOG.debugf("event %s not announced: %s", kind, e.getMessage());
        }
    }
}
