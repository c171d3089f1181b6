package dev.mecgw.app.ran;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mecgw.ran.event.NetworkEvent;
import dev.mecgw.ran.event.NetworkEventSink;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import javax.sql.DataSource;

/** Writes network events to the {@code events} table. Blocking (JDBC). */
public class PostgresNetworkEventSink implements NetworkEventSink {

    private final DataSource dataSource;
    private final ObjectMapper json;

    public PostgresNetworkEventSink(DataSource dataSource, ObjectMapper json) {
        this.dataSource = dataSource;
        this.json = json;
    }

    @Override
    public void record(NetworkEvent event) {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement(
                        "INSERT INTO events (ts, device_id, kind, severity, payload) VALUES (?, ?, ?, ?, ?::jsonb)")) {
            ps.setTimestamp(1, Timestamp.from(event.at()));
            ps.setString(2, event.deviceId());
            ps.setString(3, event.kind());
            ps.setString(4, event.severity());
            ps.setString(5, json.writeValueAsString(event.payload()));
            ps.executeUpdate();
        } catch (SQLException | JsonProcessingException e) {
            throw new IllegalStateException("event " + event.kind() + " not stored", e);
        }
    }
}
