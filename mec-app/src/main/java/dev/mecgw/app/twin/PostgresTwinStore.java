package dev.mecgw.app.twin;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mecgw.app.problem.ErrorKind;
import dev.mecgw.app.problem.GatewayException;
import dev.mecgw.app.store.Jdbc;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.sql.Array;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import javax.sql.DataSource;

/** {@link TwinStore} on the {@code device_twins} table. */
class PostgresTwinStore implements TwinStore {

    private static final String STORE = "Twin store";
    private static final TypeReference<Map<String, Long>> KEY_VERSIONS = new TypeReference<>() {};

    private final Jdbc jdbc;
    private final ObjectMapper json;

    PostgresTwinStore(DataSource dataSource, ObjectMapper json) {
        this.jdbc = new Jdbc(dataSource, STORE);
        this.json = json;
    }

    @Override
    public long setDesired(String deviceId, JsonNode desired) {
        String desiredJson = write(desired);
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
    public Map<String, Long> setDesiredAll(Map<String, ? extends JsonNode> desired) {
        // Sorted ids: concurrent batches lock the rows in the same order.
        Map<String, String> documents = new TreeMap<>();
        desired.forEach((deviceId, document) -> documents.put(deviceId, write(document)));
        Map<String, Long> written = jdbc.inTransaction(c -> {
            Map<String, Long> versions = new LinkedHashMap<>();
            // One statement for the whole fleet; the same rule as setDesired for each row.
            try (PreparedStatement ps = c.prepareStatement("UPDATE device_twins t SET desired = v.desired::jsonb,"
                    + " desired_version = t.desired_version + 1, desired_origin = 'edge',"
                    + " desired_at = greatest(now(), t.desired_at + interval '1 millisecond'), updated_at = now()"
                    + " FROM unnest(?::text[], ?::text[]) AS v(device_id, desired) WHERE t.device_id = v.device_id"
                    + " RETURNING t.device_id, t.desired_version")) {
                Array ids = c.createArrayOf("text", documents.keySet().toArray());
                Array values = c.createArrayOf("text", documents.values().toArray());
                ps.setArray(1, ids);
                ps.setArray(2, values);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        versions.put(rs.getString(1), rs.getLong(2));
                    }
                }
            }
            return versions;
        });
        Map<String, Long> ordered = new LinkedHashMap<>();
        desired.keySet().stream().filter(written::containsKey).forEach(id -> ordered.put(id, written.get(id)));
        return ordered;
    }

    @Override
    public Map<String, DesiredTwin> desiredAll(Collection<String> deviceIds) {
        List<DesiredTwin> rows = jdbc.withConnection(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT device_id, desired::text, desired_version"
                    + " FROM device_twins WHERE device_id = ANY (?::text[])")) {
                ps.setArray(1, c.createArrayOf("text", deviceIds.toArray()));
                List<DesiredTwin> found = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        found.add(new DesiredTwin(
                                rs.getString(1), rs.getLong(3), rs.getString(2).getBytes(StandardCharsets.UTF_8)));
                    }
                }
                return found;
            }
        });
        Map<String, DesiredTwin> byId = new LinkedHashMap<>();
        rows.forEach(row -> byId.put(row.deviceId(), row));
        return byId;
    }

    @Override
    public Map<String, ReportedTwin> reportedAll(Collection<String> deviceIds) {
        List<ReportedRow> rows = jdbc.withConnection(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT device_id, reported::text, reported_version,"
                    + " reported_key_versions::text FROM device_twins WHERE device_id = ANY (?::text[])")) {
                ps.setArray(1, c.createArrayOf("text", deviceIds.toArray()));
                List<ReportedRow> found = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        found.add(new ReportedRow(rs.getString(1), rs.getLong(3), rs.getString(2), rs.getString(4)));
                    }
                }
                return found;
            }
        });
        Map<String, ReportedTwin> reported = new LinkedHashMap<>();
        for (ReportedRow row : rows) {
            try {
                reported.put(
                        row.deviceId(),
                        new ReportedTwin(
                                row.version(),
                                json.readTree(row.reported()),
                                json.readValue(row.keyVersions(), KEY_VERSIONS)));
            } catch (IOException e) {
                throw Jdbc.unavailable(STORE, e);
            }
        }
        return reported;
    }

    /** A reported twin as read, parsed once the connection is back in the pool. */
    private record ReportedRow(String deviceId, long version, String reported, String keyVersions) {}

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
                        // Each key the report carries is stamped with the new version (ReportedTwin.versionOf).
                        "UPDATE device_twins SET reported = reported || r.doc, reported_version = reported_version + 1,"
                                + " reported_key_versions = reported_key_versions || COALESCE((SELECT"
                                + " jsonb_object_agg(k, reported_version + 1) FROM jsonb_object_keys(r.doc) k),"
                                + " '{}'::jsonb), updated_at = now() FROM (SELECT ?::jsonb AS doc) r WHERE device_id = ?"
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

    private String write(JsonNode document) {
        try {
            return json.writeValueAsString(document);
        } catch (IOException e) {
            throw Jdbc.unavailable(STORE, e);
        }
    }
}
