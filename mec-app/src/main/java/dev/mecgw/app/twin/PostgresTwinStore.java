package dev.mecgw.app.twin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mecgw.app.problem.ErrorKind;
import dev.mecgw.app.problem.GatewayException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;
import javax.sql.DataSource;

/** {@link TwinStore} on the {@code device_twins} table. */
public class PostgresTwinStore implements TwinStore {

    private final DataSource dataSource;
    private final ObjectMapper json;

    public PostgresTwinStore(DataSource dataSource, ObjectMapper json) {
        this.dataSource = dataSource;
        this.json = json;
    }

    @Override
    public long setDesired(String deviceId, JsonNode desired) {
        // A local edit is the newest intent: its time on the site's hybrid clock is after every earlier intent's,
        // cloud ones included (docs/sync.md "Desired twin: cloud and local edits").
        String sql = "UPDATE device_twins SET desired = ?::jsonb, desired_version = desired_version + 1,"
                + " desired_origin = 'edge', desired_at = greatest(now(), desired_at + interval '1 millisecond'),"
                + " updated_at = now() WHERE device_id = ? RETURNING desired_version";
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, json.writeValueAsString(desired));
            ps.setString(2, deviceId);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    throw GatewayException.notFound("Device " + deviceId);
                }
                return rs.getLong(1);
            }
        } catch (SQLException | IOException e) {
            throw new GatewayException(ErrorKind.UNAVAILABLE, "Twin store unavailable", e);
        }
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
        String sql = "UPDATE device_twins SET reported = reported || ?::jsonb, reported_version = reported_version + 1,"
                + " updated_at = now() WHERE device_id = ? RETURNING reported_version";
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, reported.toString());
            ps.setString(2, deviceId);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    throw GatewayException.notFound("Device " + deviceId);
                }
                return rs.getLong(1);
            }
        } catch (SQLException e) {
            throw new GatewayException(ErrorKind.UNAVAILABLE, "Twin store unavailable", e);
        }
    }

    @Override
    public Optional<DesiredTwin> desired(String deviceId) {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement(
                        "SELECT desired::text, desired_version FROM device_twins WHERE device_id = ?")) {
            ps.setString(1, deviceId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next()
                        ? Optional.of(new DesiredTwin(
                                deviceId, rs.getLong(2), rs.getString(1).getBytes(StandardCharsets.UTF_8)))
                        : Optional.empty();
            }
        } catch (SQLException e) {
            throw new GatewayException(ErrorKind.UNAVAILABLE, "Twin store unavailable", e);
        }
    }

    @Override
    public JsonNode get(String deviceId) {
        String sql = "SELECT json_build_object('desired', desired, 'desiredVersion', desired_version,"
                + " 'reported', reported, 'reportedVersion', reported_version)::text FROM device_twins"
                + " WHERE device_id = ?";
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, deviceId);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    throw GatewayException.notFound("Device " + deviceId);
                }
                return json.readTree(rs.getString(1));
            }
        } catch (SQLException | IOException e) {
            throw new GatewayException(ErrorKind.UNAVAILABLE, "Twin store unavailable", e);
        }
    }
}
