package dev.mecgw.app.twin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mecgw.app.problem.ErrorKind;
import dev.mecgw.app.problem.GatewayException;
import dev.mecgw.app.store.Jdbc;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import javax.sql.DataSource;

/** {@link TwinStore} on the {@code device_twins} table. */
class PostgresTwinStore implements TwinStore {

    private static final String STORE = "Twin store";

    private final Jdbc jdbc;
    private final ObjectMapper json;

    PostgresTwinStore(DataSource dataSource, ObjectMapper json) {
        this.jdbc = new Jdbc(dataSource, STORE);
        this.json = json;
    }

    @Override
    public long setDesired(String deviceId, JsonNode desired) {
        String desiredJson;
        try {
            desiredJson = json.writeValueAsString(desired);
        } catch (IOException e) {
            throw Jdbc.unavailable(STORE, e);
        }
        return jdbc.queryOne(
                        // A local edit is the newest intent: its time on the site's hybrid clock is after every
                        // earlier intent's, cloud ones included (docs/sync.md "Desired twin: cloud and local edits").
                        "UPDATE device_twins SET desired = ?::jsonb, desired_version = desired_version + 1,"
                                + " desired_origin = 'edge',"
                                + " desired_at = greatest(now(), desired_at + interval '1 millisecond'),"
                                + " updated_at = now() WHERE device_id = ? RETURNING desired_version",
                        ps -> {
                            ps.setString(1, desiredJson);
                            ps.setString(2, deviceId);
                        },
                        rs -> rs.getLong(1))
                .orElseThrow(() -> GatewayException.notFound("Device " + deviceId));
    }

    @Override
    public long report(String deviceId, byte[] reportedJson) {
        JsonNode reported;
        try {
            reported = json.readTree(reportedJson);
        } catch (IOException e) {
            throw new GatewayException(ErrorKind.BAD_REQUEST, "reported twin must be a JSON object");
        }
        if (reported == null || !reported.isObject()) {
            throw new GatewayException(ErrorKind.BAD_REQUEST, "reported twin must be a JSON object");
        }
        return jdbc.queryOne(
                        "UPDATE device_twins SET reported = reported || ?::jsonb,"
                                + " reported_version = reported_version + 1, updated_at = now() WHERE device_id = ?"
                                + " RETURNING reported_version",
                        ps -> {
                            ps.setString(1, reported.toString());
                            ps.setString(2, deviceId);
                        },
                        rs -> rs.getLong(1))
                .orElseThrow(() -> GatewayException.notFound("Device " + deviceId));
    }

    @Override
    public Optional<DesiredTwin> desired(String deviceId) {
        return jdbc.queryOne(
                "SELECT desired::text, desired_version FROM device_twins WHERE device_id = ?",
                ps -> ps.setString(1, deviceId),
                rs -> new DesiredTwin(deviceId, rs.getLong(2), rs.getString(1).getBytes(StandardCharsets.UTF_8)));
    }

    @Override
    public JsonNode get(String deviceId) {
        String twin = jdbc.queryOne(
                        "SELECT json_build_object('desired', desired, 'desiredVersion', desired_version,"
                                + " 'reported', reported, 'reportedVersion', reported_version)::text"
                                + " FROM device_twins WHERE device_id = ?",
                        ps -> ps.setString(1, deviceId),
                        rs -> rs.getString(1))
                .orElseThrow(() -> GatewayException.notFound("Device " + deviceId));
        try {
            return json.readTree(twin);
        } catch (IOException e) {
            throw Jdbc.unavailable(STORE, e);
        }
    }
}
