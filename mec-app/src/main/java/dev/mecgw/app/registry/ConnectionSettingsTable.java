package dev.mecgw.app.registry;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mecgw.app.credentials.SecretCipher;
import dev.mecgw.app.problem.GatewayException;
import dev.mecgw.app.registry.ConnectionPolicy.CheckedConnection;
import dev.mecgw.app.registry.DeviceRegistry.StoredConnection;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

/**
 * The {@code device_connections} table (issue 21): a southbound device's settings as JSON and its secrets sealed
 * with the data-dir key, written in the registry's transaction so that a refused upload leaves nothing behind.
 */
class ConnectionSettingsTable {

    private static final TypeReference<Map<String, String>> SECRETS = new TypeReference<>() {};
    private static final TypeReference<List<String>> NAMES = new TypeReference<>() {};

    private final ObjectMapper json;
    private final SecretCipher cipher;
    private final ConnectionPolicy policy;

    ConnectionSettingsTable(ObjectMapper json, SecretCipher cipher, ConnectionPolicy policy) {
        this.json = json;
        this.cipher = cipher;
        this.policy = policy;
    }

    /**
     * Checks a request's settings before its transaction.
     *
     * @return the checked settings; null when the request's type takes none (or, on update, keeps the stored ones)
     * @throws GatewayException BAD_REQUEST naming the field
     */
    CheckedConnection check(DeviceRequest request, boolean create) {
        boolean southbound = policy.types().contains(request.type());
        if (!southbound) {
            if (request.connection() != null && !request.connection().isNull()) {
                throw GatewayException.badField(
                        "connection", "device type " + request.type() + " takes no connection settings");
            }
            return null;
        }
        if (request.connection() == null && !create) {
            return null;
        }
        return policy.check(request.type(), request.connection());
    }

    /** Writes checked settings, merging secrets with the stored ones; drops them when the type takes none. */
    void write(Connection c, String id, String type, CheckedConnection checked) throws SQLException {
        if (!policy.types().contains(type)) {
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM device_connections WHERE device_id = ?")) {
                ps.setString(1, id);
                ps.executeUpdate();
            }
            return;
        }
        if (checked == null) {
            if (stored(c, id, type).isEmpty()) {
                throw GatewayException.badField("connection", "required for device type " + type);
            }
            return;
        }
        Map<String, String> secrets =
                new HashMap<>(stored(c, id, type).map(StoredConnection::secrets).orElse(Map.of()));
        secrets.putAll(checked.secrets());
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO device_connections (device_id, settings,"
                + " secrets_ciphertext, secret_names) VALUES (?, ?::jsonb, ?, ?::jsonb) ON CONFLICT (device_id)"
                + " DO UPDATE SET settings = excluded.settings, secrets_ciphertext = excluded.secrets_ciphertext,"
                + " secret_names = excluded.secret_names, updated_at = now()")) {
            ps.setString(1, id);
            ps.setString(2, checked.settings().toString());
            ps.setBytes(
                    3, secrets.isEmpty() ? null : cipher.encrypt(toJson(secrets).getBytes(StandardCharsets.UTF_8), id));
            ps.setString(4, toJson(new TreeSet<>(secrets.keySet())));
            ps.executeUpdate();
        }
    }

    /** The connection as the API shows it, from the SELECT's settings and secret-name columns. */
    Device.Connection shown(String settings, String secretNames) {
        if (settings == null) {
            return null;
        }
        try {
            return new Device.Connection(json.readTree(settings), json.readValue(secretNames, NAMES), null);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("device_connections holds JSON", e);
        }
    }

    Optional<StoredConnection> stored(Connection c, String id, String type) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT settings::text, secrets_ciphertext FROM device_connections WHERE device_id = ?")) {
            ps.setString(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(read(id, type, rs.getString(1), rs.getBytes(2))) : Optional.empty();
            }
        }
    }

    List<StoredConnection> all(Connection c, Collection<String> types) throws SQLException {
        List<StoredConnection> found = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT d.id, d.type, dc.settings::text, dc.secrets_ciphertext"
                + " FROM devices d JOIN device_connections dc ON dc.device_id = d.id WHERE d.type = ANY (?)"
                + " ORDER BY d.id")) {
            ps.setArray(1, c.createArrayOf("text", types.toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    found.add(read(rs.getString(1), rs.getString(2), rs.getString(3), rs.getBytes(4)));
                }
            }
        }
        return found;
    }

    private StoredConnection read(String id, String type, String settings, byte[] sealed) {
        try {
            Map<String, String> secrets = sealed == null
                    ? Map.of()
                    : json.readValue(new String(cipher.decrypt(sealed, id), StandardCharsets.UTF_8), SECRETS);
            JsonNode node = json.readTree(settings);
            return new StoredConnection(id, type, (ObjectNode) node, Map.copyOf(secrets));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("connection settings of " + id + " are not readable", e);
        }
    }

    private String toJson(Object value) {
        try {
            return json.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("plain strings", e);
        }
    }
}
