package dev.mecgw.app.ran;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mecgw.app.store.Jdbc;
import dev.mecgw.ran.event.NetworkEvent;
import dev.mecgw.ran.event.NetworkEventSink;
import java.sql.Timestamp;
import javax.sql.DataSource;

/** Writes network events to the {@code events} table. Blocking (JDBC). */
public class PostgresNetworkEventSink implements NetworkEventSink {

    private static final String STORE = "Event store";

    private final Jdbc jdbc;
    private final ObjectMapper json;

    public PostgresNetworkEventSink(DataSource dataSource, ObjectMapper json) {
        this.jdbc = new Jdbc(dataSource, STORE);
        this.json = json;
    }

    @Override
    public void record(NetworkEvent event) {
        String payload;
        try {
            payload = json.writeValueAsString(event.payload());
        } catch (JsonProcessingException e) {
            throw Jdbc.unavailable(STORE, e);
        }
        jdbc.update("INSERT INTO events (ts, device_id, kind, severity, payload) VALUES (?, ?, ?, ?, ?::jsonb)", ps -> {
            ps.setTimestamp(1, Timestamp.from(event.at()));
            ps.setString(2, event.deviceId());
            ps.setString(3, event.kind());
            ps.setString(4, event.severity());
            ps.setString(5, payload);
        });
    }
}
