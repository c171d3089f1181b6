package dev.mecgw.app.coap;

import dev.mecgw.app.twin.DesiredTwin;

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

/** {@link DeviceTwins} on the {@code device_twins} table of the local PostgreSQL. */
public class PostgresDeviceTwins implements DeviceTwins {

    private final DataSource dataSource;
    private final ObjectMapper json;

    public PostgresDeviceTwins(DataSource dataSource, ObjectMapper json) {
        this.dataSource = dataSource;
        this.json = json;
    }

    @Override
    public Optional<DesiredTwin> desired(String deviceId) {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement(
                        "SELECT desired::text, desired_version FROM device_twins WHERE device_id = ?")) {
            ps.setString(1, deviceId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next()
                        ? Optional.of(new DesiredTwin(deviceId, rs.getLong(2),
                                rs.getString(1).getBytes(StandardCharsets.UTF_8)))
                        : Optional.empty();
            }
        } catch (SQLException e) {
            throw new GatewayException(ErrorKind.UNAVAILABLE, "Twin store unavailable", e);
        }
    }

    @Override
    public long report(String deviceId, byte[] reported) {
        String object = jsonObject(reported);
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement("UPDATE device_twins SET reported = reported || ?::jsonb,"
                        + " reported_version = reported_version + 1, updated_at = now() WHERE device_id = ?"
                        + " RETURNING reported_version")) {
            ps.setString(1, object);
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

    private String jsonObject(byte[] reported) {
        try {
            JsonNode node = json.readTree(reported);
            if (node == null || !node.isObject()) {
                throw new GatewayException(ErrorKind.BAD_REQUEST, "reported state must be a JSON object");
            }
            return json.writeValueAsString(node);
        } catch (IOException e) {
            throw new GatewayException(ErrorKind.BAD_REQUEST, "reported state is not valid JSON");
        }
    }
}
