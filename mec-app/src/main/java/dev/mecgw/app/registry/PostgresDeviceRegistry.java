package dev.mecgw.app.registry;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mecgw.app.credentials.PasswordHasher;
import dev.mecgw.app.credentials.SecretCipher;
import dev.mecgw.app.problem.ErrorKind;
import dev.mecgw.app.problem.FieldError;
import dev.mecgw.app.problem.GatewayException;
import dev.mecgw.app.store.Jdbc;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import javax.sql.DataSource;

/** {@link DeviceRegistry} on the local PostgreSQL with plain JDBC, one transaction per call. */
public class PostgresDeviceRegistry implements DeviceRegistry {

    private static final String SELECT = "SELECT d.id, d.type, d.labels::text, d.supi, d.gpsi, d.slice_sst,"
            + " d.slice_sd, d.online, d.last_seen, d.created_at, d.updated_at, c.password_hash IS NOT NULL,"
            + " c.psk_ciphertext IS NOT NULL, c.x509_sha256, count(*) OVER (), dc.settings::text,"
            + " dc.secret_names::text FROM devices d LEFT JOIN device_credentials c ON c.device_id = d.id"
            + " LEFT JOIN device_connections dc ON dc.device_id = d.id";
    private static final TypeReference<Map<String, String>> LABELS = new TypeReference<>() {};

    private final Jdbc jdbc;
    private final ObjectMapper json;
    private final PasswordHasher hasher;
    private final SecretCipher cipher;
    private final DeviceRevocations revocations;
    private final ConnectionSettingsTable connections;
    private final ConnectionChanges changes;

    /** @param revocations told after a delete or a change of secrets or identity has been committed (issue 15.9) */
    public PostgresDeviceRegistry(
            DataSource dataSource,
            ObjectMapper json,
            PasswordHasher hasher,
            SecretCipher cipher,
            DeviceRevocations revocations) {
        this(dataSource, json, hasher, cipher, revocations, Southbound.NONE);
    }

    /**
     * @param southbound checks southbound connection settings and hears of every committed create, update and delete
     *     (issue 21)
     */
    public PostgresDeviceRegistry(
            DataSource dataSource,
            ObjectMapper json,
            PasswordHasher hasher,
            SecretCipher cipher,
            DeviceRevocations revocations,
            Southbound southbound) {
        this.jdbc = new Jdbc(dataSource, PostgresDeviceRegistry::translate);
        this.json = json;
        this.hasher = hasher;
        this.cipher = cipher;
        this.revocations = revocations;
        this.connections = new ConnectionSettingsTable(json, cipher, southbound.policy());
        this.changes = southbound.changes();
    }

    /**
     * What the registry needs from the southbound area (issue 21).
     *
     * @param policy checks connection settings
     * @param changes told after each committed create, update and delete
     */
    public record Southbound(ConnectionPolicy policy, ConnectionChanges changes) {
        /** No southbound types. */
        public static final Southbound NONE = new Southbound(ConnectionPolicy.NONE, new ConnectionChanges());
    }

    @Override
    public Device create(DeviceRequest request) {
        // Hash before opening the transaction: PBKDF2 is slow by design and must not hold a connection.
        SealedCredentials sealed = seal(request.id(), request.credentials());
        LabelSecrets labels = LabelSecrets.split(request.labelsOrEmpty());
        ConnectionPolicy.CheckedConnection connection = connections.check(request, true);
        Device created = jdbc.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO devices (id, type, labels, supi, gpsi,"
                    + " slice_sst, slice_sd) VALUES (?, ?, ?::jsonb, ?, ?, ?, ?)")) {
                ps.setString(1, request.id());
                bindAttributes(ps, 2, request, labels.labels());
                ps.executeUpdate();
            }
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO device_twins (device_id) VALUES (?)")) {
                ps.setString(1, request.id());
                ps.executeUpdate();
            }
            writeCredentials(c, request.id(), sealed);
            writeLabelSecrets(c, request.id(), labels.userInfo());
            connections.write(c, request.id(), request.type(), connection);
            return select(c, request.id()).orElseThrow();
        });
        changes.changed(created.id());
        return created;
    }

    @Override
    public Optional<Device> find(String id) {
        return jdbc.inTransaction(c -> select(c, id));
    }

    @Override
    public Device update(String id, DeviceRequest request) {
        SealedCredentials sealed = seal(id, request.credentials());
        LabelSecrets labels = LabelSecrets.split(request.labelsOrEmpty());
        ConnectionPolicy.CheckedConnection connection = connections.check(request, false);
        Device[] before = new Device[1];
        Device after = jdbc.inTransaction(c -> {
            before[0] = select(c, id).orElse(null);
            try (PreparedStatement ps = c.prepareStatement("UPDATE devices SET type = ?, labels = ?::jsonb,"
                    + " supi = ?, gpsi = ?, slice_sst = ?, slice_sd = ?, updated_at = now(), version = version + 1"
                    + " WHERE id = ?")) {
                bindAttributes(ps, 1, request, labels.labels());
                ps.setString(7, id);
                if (ps.executeUpdate() == 0) {
                    throw GatewayException.notFound("Device " + id);
                }
            }
            writeCredentials(c, id, sealed);
            writeLabelSecrets(c, id, labels.userInfo());
            connections.write(c, id, request.type(), connection);
            return select(c, id).orElseThrow();
        });
        changes.changed(id);
        if (request.credentials() != null && !request.credentials().isEmpty()) {
            revocations.revoke(id, DeviceRevocations.CREDENTIALS_CHANGED);
        } else if (before[0] == null || identityChanged(before[0], after)) {
            revocations.revoke(id, DeviceRevocations.IDENTITY_CHANGED);
        }
        return after;
    }

    /** Type decides the ACL, SIM and slice the network identity: connections admitted under the old ones end. */
    private static boolean identityChanged(Device before, Device after) {
        return !Objects.equals(before.type(), after.type())
                || !Objects.equals(before.sim(), after.sim())
                || !Objects.equals(before.slice(), after.slice());
    }

    @Override
    public Optional<String> labelWithSecret(String id, String label) {
        return jdbc.inTransaction(c -> {
            Optional<String> value = select(c, id).map(d -> d.labels().get(label));
            if (value.isEmpty()) {
                return Optional.<String>empty();
            }
            String userInfo = storedLabelSecrets(c, id).get(label);
            return Optional.of(userInfo == null ? value.get() : LabelSecrets.join(value.get(), userInfo));
        });
    }

    // Merged into what is stored: a client that reads a device back (labels without user info) and writes it again
    // keeps the label's credentials.
    private void writeLabelSecrets(Connection c, String id, Map<String, String> userInfo) throws SQLException {
        if (userInfo.isEmpty()) {
            return;
        }
        Map<String, String> merged = new java.util.HashMap<>(storedLabelSecrets(c, id));
        merged.putAll(userInfo);
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO device_credentials (device_id, label_secrets)"
                + " VALUES (?, ?) ON CONFLICT (device_id) DO UPDATE SET label_secrets = excluded.label_secrets,"
                + " updated_at = now()")) {
            ps.setString(1, id);
            ps.setBytes(2, cipher.encrypt(toJson(merged).getBytes(java.nio.charset.StandardCharsets.UTF_8), id));
            ps.executeUpdate();
        }
    }

    private Map<String, String> storedLabelSecrets(Connection c, String id) throws SQLException {
        try (PreparedStatement ps =
                c.prepareStatement("SELECT label_secrets FROM device_credentials WHERE device_id = ?")) {
            ps.setString(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                byte[] sealed = rs.next() ? rs.getBytes(1) : null;
                if (sealed == null) {
                    return Map.of();
                }
                return json.readValue(cipher.decrypt(sealed, id), LABELS);
            } catch (java.io.IOException e) {
                throw new IllegalStateException("label secrets of " + id + " are not readable", e);
            }
        }
    }

    @Override
    public boolean delete(String id) {
        boolean deleted = jdbc.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM devices WHERE id = ?")) {
                ps.setString(1, id);
                return ps.executeUpdate() > 0;
            }
        });
        if (deleted) {
            revocations.revoke(id, DeviceRevocations.DELETED);
            changes.changed(id);
        }
        return deleted;
    }

    @Override
    public DevicePage list(DeviceFilter filter, int page, int size) {
        List<Object> args = new ArrayList<>();
        String where = where(filter, args);
        return jdbc.inTransaction(c -> {
            List<Device> items = new ArrayList<>();
            long total = 0;
            try (PreparedStatement ps = c.prepareStatement(SELECT + where + " ORDER BY d.id LIMIT ? OFFSET ?")) {
                int next = bind(ps, args);
                ps.setInt(next, size);
                ps.setLong(next + 1, (long) page * size);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        items.add(map(rs));
                        total = rs.getLong(15);
                    }
                }
            }
            if (items.isEmpty() && page > 0) {
                // A page past the end has no row for the window count to ride on.
                try (PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM devices d" + where)) {
                    bind(ps, args);
                    try (ResultSet rs = ps.executeQuery()) {
                        rs.next();
                        total = rs.getLong(1);
                    }
                }
            }
            return new DevicePage(items, page, size, total);
        });
    }

    /** WHERE clause of a filter, collecting its arguments in order. */
    private String where(DeviceFilter filter, List<Object> args) {
        StringBuilder sql = new StringBuilder(" WHERE true");
        if (filter.type() != null) {
            sql.append(" AND d.type = ?");
            args.add(filter.type());
        }
        if (filter.labels() != null && !filter.labels().isEmpty()) {
            sql.append(" AND d.labels @> ?::jsonb");
            args.add(toJson(filter.labels()));
        }
        if (filter.sst() != null) {
            sql.append(" AND d.slice_sst = ?");
            args.add(filter.sst());
        }
        if (filter.sd() != null) {
            sql.append(" AND upper(d.slice_sd) = ?");
            args.add(filter.sd().toUpperCase(Locale.ROOT));
        }
        return sql.toString();
    }

    /** Binds the arguments from index 1 and returns the next free index. */
    private static int bind(PreparedStatement ps, List<Object> args) throws SQLException {
        for (int i = 0; i < args.size(); i++) {
            ps.setObject(i + 1, args.get(i));
        }
        return args.size() + 1;
    }

    @Override
    public Device setCredentials(String id, CredentialsRequest credentials) {
        SealedCredentials sealed = seal(id, credentials);
        Device device = jdbc.inTransaction(c -> {
            if (select(c, id).isEmpty()) {
                throw GatewayException.notFound("Device " + id);
            }
            writeCredentials(c, id, sealed);
            try (PreparedStatement ps = c.prepareStatement("UPDATE devices SET updated_at = now() WHERE id = ?")) {
                ps.setString(1, id);
                ps.executeUpdate();
            }
            return select(c, id).orElseThrow();
        });
        revocations.revoke(id, DeviceRevocations.CREDENTIALS_CHANGED);
        return device;
    }

    @Override
    public Optional<StoredCredentials> credentials(String id) {
        return jdbc.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT password_hash, psk_ciphertext, x509_sha256"
                    + " FROM device_credentials WHERE device_id = ?")) {
                ps.setString(1, id);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next()
                            ? Optional.of(new StoredCredentials(id, rs.getString(1), rs.getBytes(2), rs.getString(3)))
                            : Optional.empty();
                }
            }
        });
    }

    @Override
    public Optional<StoredConnection> connection(String id) {
        return jdbc.inTransaction(c -> {
            Optional<Device> device = select(c, id);
            return device.isEmpty()
                    ? Optional.<StoredConnection>empty()
                    : connections.stored(c, id, device.get().type());
        });
    }

    @Override
    public List<StoredConnection> connections(java.util.Collection<String> types) {
        return jdbc.inTransaction(c -> connections.all(c, types));
    }

    @Override
    public void updatePresence(String id, boolean online, Instant lastSeen) {
        jdbc.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "UPDATE devices SET online = ?, last_seen = greatest(last_seen, ?) WHERE id = ?")) {
                ps.setBoolean(1, online);
                ps.setTimestamp(2, Timestamp.from(lastSeen));
                ps.setString(3, id);
                return ps.executeUpdate();
            }
        });
    }

    private void bindAttributes(PreparedStatement ps, int from, DeviceRequest request, Map<String, String> labels)
            throws SQLException {
        ps.setString(from, request.type());
        ps.setString(from + 1, toJson(labels));
        ps.setString(from + 2, request.sim() == null ? null : request.sim().supi());
        ps.setString(from + 3, request.sim() == null ? null : request.sim().gpsi());
        if (request.slice() == null) {
            ps.setNull(from + 4, Types.SMALLINT);
            ps.setNull(from + 5, Types.CHAR);
        } else {
            ps.setInt(from + 4, request.slice().sst());
            ps.setString(
                    from + 5,
                    request.slice().sd() == null ? null : request.slice().sd().toUpperCase(Locale.ROOT));
        }
    }

    private SealedCredentials seal(String deviceId, CredentialsRequest request) {
        if (request == null || request.isEmpty()) {
            return null;
        }
        return new SealedCredentials(
                request.password() == null ? null : hasher.hash(request.password()),
                request.psk() == null ? null : cipher.encrypt(HexFormat.of().parseHex(request.psk()), deviceId),
                request.x509Sha256() == null ? null : request.x509Sha256().toLowerCase(Locale.ROOT));
    }

    private static void writeCredentials(Connection c, String id, SealedCredentials sealed) throws SQLException {
        if (sealed == null) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO device_credentials (device_id, password_hash,"
                + " psk_ciphertext, x509_sha256) VALUES (?, ?, ?, ?) ON CONFLICT (device_id) DO UPDATE SET"
                + " password_hash = coalesce(excluded.password_hash, device_credentials.password_hash),"
                + " psk_ciphertext = coalesce(excluded.psk_ciphertext, device_credentials.psk_ciphertext),"
                + " x509_sha256 = coalesce(excluded.x509_sha256, device_credentials.x509_sha256),"
                + " updated_at = now()")) {
            ps.setString(1, id);
            ps.setString(2, sealed.passwordHash());
            ps.setBytes(3, sealed.pskCiphertext());
            ps.setString(4, sealed.x509Sha256());
            ps.executeUpdate();
        }
    }

    private Optional<Device> select(Connection c, String id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(SELECT + " WHERE d.id = ?")) {
            ps.setString(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(map(rs)) : Optional.empty();
            }
        }
    }

    private Device map(ResultSet rs) throws SQLException {
        Integer sst = (Integer) rs.getObject(6);
        String supi = rs.getString(4);
        String gpsi = rs.getString(5);
        return new Device(
                rs.getString(1),
                rs.getString(2),
                fromJson(rs.getString(3)),
                supi == null && gpsi == null ? null : new Sim(supi, gpsi),
                sst == null ? null : new Slice(sst, rs.getString(7)),
                new Device.Status(rs.getBoolean(8), rs.getObject(9, OffsetDateTime.class)),
                new Device.CredentialsSummary(rs.getBoolean(12), rs.getBoolean(13), rs.getString(14)),
                rs.getObject(10, OffsetDateTime.class),
                rs.getObject(11, OffsetDateTime.class),
                null,
                connections.shown(rs.getString(16), rs.getString(17)));
    }

    private String toJson(Map<String, String> labels) {
        try {
            return json.writeValueAsString(labels);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("labels are plain strings", e);
        }
    }

    private Map<String, String> fromJson(String labels) {
        try {
            return json.readValue(labels, LABELS);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("labels column holds a JSON object of strings", e);
        }
    }

    /** Unique violations become 409 naming the field; the rest is an internal error. */
    static GatewayException translate(SQLException e) {
        if ("23505".equals(e.getSQLState())) {
            String message = String.valueOf(e.getMessage());
            if (message.contains("devices_supi_key")) {
                return conflict("sim.supi", "SUPI is already registered to another device", e);
            }
            if (message.contains("x509_sha256")) {
                return conflict("credentials.x509Sha256", "certificate is already registered to another device", e);
            }
            return conflict("id", "a device with this id already exists", e);
        }
        return new GatewayException(ErrorKind.INTERNAL, "Database error", e);
    }

    private static GatewayException conflict(String field, String message, SQLException e) {
        return new GatewayException(
                ErrorKind.CONFLICT,
                "Conflict on " + field + ": " + message,
                List.of(new FieldError(field, message)),
                e);
    }

    private record SealedCredentials(String passwordHash, byte[] pskCiphertext, String x509Sha256) {}
}
