package dev.mecgw.app.twin;

import static io.restassured.RestAssured.given;

import io.restassured.http.ContentType;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.sql.DataSource;

/** A device to command over REST and the console, and the command table's copy of what its devices get. */
public final class CommandFixtures {

    private CommandFixtures() {}

    /** Registers a device with the test's admin token; @return its id, unique per call */
    public static String givenADevice(String prefix) {
        String device = prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
        given().header("Authorization", "Bearer test-admin-token")
                .contentType(ContentType.JSON)
                .body(Map.of("id", device, "type", "sensor"))
                .post("/api/v1/devices")
                .then()
                .statusCode(201);
        return device;
    }

    /** @return the payloads of the device's stored commands, oldest first, as the text its devices get */
    public static List<String> storedPayloads(DataSource dataSource, String device) throws SQLException {
        List<String> payloads = new ArrayList<>();
        try (Connection connection = dataSource.getConnection();
                PreparedStatement query = connection.prepareStatement("SELECT payload_text FROM mecgw_command_outbox"
                        + " WHERE device_id = ? ORDER BY created_at, id")) {
            query.setString(1, device);
            try (ResultSet row = query.executeQuery()) {
                while (row.next()) {
                    payloads.add(row.getString(1));
                }
            }
        }
        return payloads;
    }
}
