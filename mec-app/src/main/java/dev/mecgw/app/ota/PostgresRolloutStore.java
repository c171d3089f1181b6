package dev.mecgw.app.ota;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mecgw.app.store.Jdbc;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * Rollouts in the {@code ota_rollouts*} tables (V120). A save writes the rollout, its waves and the devices that
 * changed in one transaction, so that a restart loads every rollout as it was after its last step. Blocking.
 */
public class PostgresRolloutStore {

    private static final String STORE = "Rollout store";

    /** Rollouts that take devices by their selector (a percentage wave) and were not aborted. */
    private static final String SELECTING = "WITH selecting AS (SELECT id, created_at, state,"
            + " spec->>'selectorType' AS type, COALESCE(spec->'selectorLabels', '{}'::jsonb) AS labels"
            + " FROM ota_rollouts WHERE state <> 'aborted' AND EXISTS (SELECT 1 FROM"
            + " jsonb_array_elements(spec->'waves') w WHERE (w->>'percent')::int > 0))";

    /** Rollout {@code n} is newer than {@code a}, not aborted, and targets device {@code d} (member or selector). */
    private static final String NEWER_TARGET = "n.created_at > a.created_at AND n.state <> 'aborted'"
            + " AND (EXISTS (SELECT 1 FROM ota_rollout_devices nm WHERE nm.rollout_id = n.id AND nm.device_id = d.id)"
            + " OR EXISTS (SELECT 1 FROM selecting s WHERE s.id = n.id AND (s.type IS NULL OR s.type = d.type)"
            + " AND d.labels @> s.labels))";

    private final Jdbc jdbc;
    private final ObjectMapper json;

    public PostgresRolloutStore(DataSource dataSource, ObjectMapper json) {
        this.jdbc = new Jdbc(dataSource, STORE);
        this.json = json;
    }

    /**
     * Runs {@code work} in one transaction, which the twin store and the event log (same pool, same thread) join:
     * a rollout step is one commit.
     */
    public void inTransaction(Runnable work) {
        jdbc.inTransaction(c -> {
            work.run();
            return null;
        });
    }

    /** Runs {@code action} once the open transaction committed (at once outside of one); see {@link Jdbc#afterCommit}. */
    public void afterCommit(Runnable action) {
        jdbc.afterCommit(action);
    }

    /** Inserts a new rollout with its waves and devices. */
    public void insert(Rollout rollout) {
        String spec = write(rollout.spec());
        jdbc.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO ota_rollouts (id, spec, state, reason,"
                    + " created_at, updated_at) VALUES (?, ?::jsonb, ?, ?, ?, ?)")) {
                ps.setString(1, rollout.id());
                ps.setString(2, spec);
                ps.setString(3, RolloutMachine.lower(rollout.state()));
                ps.setString(4, rollout.reason());
                ps.setTimestamp(5, Timestamp.from(rollout.createdAt()));
                ps.setTimestamp(6, Timestamp.from(rollout.updatedAt()));
                ps.executeUpdate();
            }
            saveParts(c, rollout);
            return null;
        });
    }

    /** Writes the rollout's state, its waves and its changed devices. */
    public void save(Rollout rollout) {
        jdbc.inTransaction(c -> {
            try (PreparedStatement ps =
                    c.prepareStatement("UPDATE ota_rollouts SET state = ?, reason = ?, updated_at = ? WHERE id = ?")) {
                ps.setString(1, RolloutMachine.lower(rollout.state()));
                ps.setString(2, rollout.reason());
                ps.setTimestamp(3, Timestamp.from(rollout.updatedAt()));
                ps.setString(4, rollout.id());
                ps.executeUpdate();
            }
            saveParts(c, rollout);
            return null;
        });
    }

    private void saveParts(Connection c, Rollout rollout) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO ota_rollout_waves (rollout_id, idx, name, state,"
                + " started_at, ended_at, reason) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (rollout_id, idx) DO UPDATE"
                + " SET state = excluded.state, started_at = excluded.started_at, ended_at = excluded.ended_at,"
                + " reason = excluded.reason")) {
            for (Wave wave : rollout.waves()) {
                ps.setString(1, rollout.id());
                ps.setInt(2, wave.index());
                ps.setString(3, wave.name());
                ps.setString(4, RolloutMachine.lower(wave.state()));
                ps.setTimestamp(5, timestamp(wave.startedAt()));
                ps.setTimestamp(6, timestamp(wave.endedAt()));
                ps.setString(7, wave.reason());
                ps.addBatch();
            }
            ps.executeBatch();
        }
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO ota_rollout_devices (rollout_id, device_id, wave,"
                + " state, result, error, since, notified_at, installed_at, previous_firmware, adopted_at, reported_seen)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?::jsonb, ?, ?) ON CONFLICT (rollout_id, device_id) DO UPDATE"
                + " SET state = excluded.state, result = excluded.result, error = excluded.error,"
                + " since = excluded.since, notified_at = excluded.notified_at, installed_at = excluded.installed_at,"
                + " previous_firmware = excluded.previous_firmware, reported_seen = excluded.reported_seen")) {
            List<DeviceRollout> saved = new ArrayList<>();
            List<DeviceRollout> members = new ArrayList<>(rollout.adopted());
            rollout.waves().forEach(wave -> members.addAll(wave.devices()));
            for (DeviceRollout device : members) {
                if (!device.dirty()) {
                    continue;
                }
                ps.setString(1, rollout.id());
                ps.setString(2, device.deviceId());
                ps.setInt(3, device.wave());
                ps.setString(4, RolloutMachine.lower(device.state()));
                ps.setInt(5, device.result());
                ps.setString(6, device.error());
                ps.setTimestamp(7, Timestamp.from(device.since()));
                ps.setTimestamp(8, timestamp(device.notifiedAt()));
                ps.setTimestamp(9, timestamp(device.installedAt()));
                ps.setString(10, device.previousFirmware());
                ps.setTimestamp(11, timestamp(device.adoptedAt()));
                ps.setObject(12, device.reportSeen(), Types.BIGINT);
                ps.addBatch();
                saved.add(device);
            }
            ps.executeBatch();
            saved.forEach(DeviceRollout::saved);
        }
    }

    /** The rollout with its waves and devices, empty when unknown. */
    public Optional<Rollout> find(String id) {
        return load("WHERE id = ?", id).stream().findFirst();
    }

    /** Rollouts that still move (running or paused), oldest first. */
    public List<Rollout> active() {
        return load("WHERE state IN ('running', 'paused')", null);
    }

    /** The newest rollouts first, at most {@code limit}. */
    public List<Rollout> recent(int limit) {
        return load("ORDER BY created_at DESC LIMIT " + Math.max(1, limit), null);
    }

    /** Ids of registered devices of the type (any when null) that carry every label. */
    public List<String> matchingDevices(String type, Map<String, String> labels) {
        String labelsJson = write(labels);
        return jdbc.queryList(
                "SELECT id FROM devices WHERE (?::text IS NULL OR type = ?) AND labels @> ?::jsonb ORDER BY id",
                ps -> {
                    ps.setString(1, type);
                    ps.setString(2, type);
                    ps.setString(3, labelsJson);
                },
                rs -> rs.getString(1));
    }

    /**
     * Devices a succeeded selector rollout must adopt (docs/ota.md "Dynamic membership"): registered devices that
     * match its selector, are not its members, and are targeted by no newer rollout that was not aborted (as a
     * member, or matching the selector of one with a percentage wave). Each device thus follows the newest rollout
     * that targets it. Rollouts wholly covered by a newer selector rollout (same type or any, fewer or equal labels)
     * are not even looked at, so the query stays small however many rollouts the gateway has run.
     *
     * @return device ids per rollout id, oldest rollout first
     */
    public Map<String, List<String>> lateMembers() {
        Map<String, List<String>> late = new LinkedHashMap<>();
        jdbc.queryList(
                        SELECTING
                                + ", adopting AS (SELECT r.* FROM selecting r WHERE r.state = 'succeeded' AND NOT EXISTS"
                                + " (SELECT 1 FROM selecting n WHERE n.created_at > r.created_at"
                                + " AND (n.type IS NULL OR n.type = r.type) AND r.labels @> n.labels))"
                                + " SELECT a.id, d.id FROM adopting a JOIN devices d"
                                + " ON (a.type IS NULL OR d.type = a.type) AND d.labels @> a.labels"
                                + " WHERE NOT EXISTS (SELECT 1 FROM ota_rollout_devices m"
                                + " WHERE m.rollout_id = a.id AND m.device_id = d.id)"
                                + " AND NOT EXISTS (SELECT 1 FROM ota_rollouts n WHERE " + NEWER_TARGET + ")"
                                + " ORDER BY a.created_at, d.id",
                        ps -> {},
                        rs -> Map.entry(rs.getString(1), rs.getString(2)))
                .forEach(e ->
                        late.computeIfAbsent(e.getKey(), k -> new ArrayList<>()).add(e.getValue()));
        return late;
    }

    /**
     * Adopted devices of succeeded rollouts that still move (notified to installed), and timed-out ones that may
     * move again: a newer rollout takes them, or they reported their firmware on this rollout since it last looked
     * ({@link DeviceRollout#reportSeen}, compared with the version of the twin's last {@code firmware} report, V280). A
     * timed-out device that stays silent thus costs no load of its rollout per tick.
     *
     * @return per rollout id, per device id: what the tick needs to know of it
     */
    public Map<String, Map<String, AdoptedWatch>> movingAdopted() {
        Map<String, Map<String, AdoptedWatch>> moving = new LinkedHashMap<>();
        jdbc.queryList(
                        SELECTING + ", adopted AS (SELECT a.id, a.created_at, m.device_id, m.state, m.reported_seen,"
                                + " (t.reported_key_versions->>'firmware')::bigint AS reported_version,"
                                + " t.reported->'firmware'->>'rollout' AS answers,"
                                + " (SELECT n.id FROM ota_rollouts n WHERE " + NEWER_TARGET
                                + " ORDER BY n.created_at DESC LIMIT 1) AS newer FROM ota_rollout_devices m"
                                + " JOIN ota_rollouts a ON a.id = m.rollout_id LEFT JOIN devices d ON d.id = m.device_id"
                                + " LEFT JOIN device_twins t ON t.device_id = m.device_id"
                                + " WHERE m.adopted_at IS NOT NULL AND a.state = 'succeeded'"
                                + " AND m.state IN ('notified', 'downloading', 'downloaded', 'updating', 'installed',"
                                + " 'timed-out')) SELECT id, device_id, newer FROM adopted"
                                + " WHERE state <> 'timed-out' OR newer IS NOT NULL"
                                + " OR (answers = id AND reported_version <> COALESCE(reported_seen, -1))"
                                + " ORDER BY created_at, device_id",
                        ps -> {},
                        rs -> new AdoptedRow(rs.getString(1), rs.getString(2), new AdoptedWatch(rs.getString(3))))
                .forEach(row -> moving.computeIfAbsent(row.rolloutId(), k -> new LinkedHashMap<>())
                        .put(row.deviceId(), row.watch()));
        return moving;
    }

    /**
     * One adopted device a tick must look at.
     *
     * @param newerRollout the newer rollout that now targets the device, null when none does
     */
    public record AdoptedWatch(String newerRollout) {}

    private record AdoptedRow(String rolloutId, String deviceId, AdoptedWatch watch) {}

    private List<Rollout> load(String where, String id) {
        return jdbc.withConnection(c -> {
            Map<String, Rollout> rollouts = new LinkedHashMap<>();
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT id, spec::text, state, reason, created_at," + " updated_at FROM ota_rollouts " + where)) {
                if (id != null) {
                    ps.setString(1, id);
                }
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        Rollout rollout = Rollout.restore(
                                rs.getString(1),
                                read(rs.getString(2)),
                                RolloutState.valueOf(upper(rs.getString(3))),
                                rs.getString(4),
                                rs.getTimestamp(5).toInstant(),
                                rs.getTimestamp(6).toInstant());
                        rollouts.put(rollout.id(), rollout);
                    }
                }
            }
            for (Rollout rollout : rollouts.values()) {
                loadParts(c, rollout);
            }
            return new ArrayList<>(rollouts.values());
        });
    }

    private static void loadParts(Connection c, Rollout rollout) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT idx, name, state, started_at, ended_at, reason"
                + " FROM ota_rollout_waves WHERE rollout_id = ? ORDER BY idx")) {
            ps.setString(1, rollout.id());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    rollout.waves.add(Wave.restore(
                            rs.getInt(1),
                            rs.getString(2),
                            WaveState.valueOf(upper(rs.getString(3))),
                            instant(rs.getTimestamp(4)),
                            instant(rs.getTimestamp(5)),
                            rs.getString(6)));
                }
            }
        }
        try (PreparedStatement ps = c.prepareStatement("SELECT device_id, wave, state, result, error, since,"
                + " notified_at, installed_at, previous_firmware::text, adopted_at, reported_seen FROM ota_rollout_devices"
                + " WHERE rollout_id = ? ORDER BY wave, adopted_at NULLS FIRST, device_id")) {
            ps.setString(1, rollout.id());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    DeviceRollout device = DeviceRollout.restore(
                            rs.getString(1),
                            rs.getInt(2),
                            DeviceState.valueOf(upper(rs.getString(3))),
                            rs.getInt(4),
                            rs.getString(5),
                            rs.getTimestamp(6).toInstant(),
                            instant(rs.getTimestamp(7)),
                            instant(rs.getTimestamp(8)),
                            rs.getString(9));
                    device.adoptedAt = instant(rs.getTimestamp(10));
                    device.reportSeen = rs.getObject(11, Long.class);
                    if (device.adoptedAt == null) {
                        rollout.waves.get(device.wave()).devices.add(device);
                    } else {
                        rollout.adopted.add(device);
                    }
                }
            }
        }
    }

    private String write(Object value) {
        try {
            return json.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw Jdbc.unavailable(STORE, e);
        }
    }

    private RolloutSpec read(String spec) {
        try {
            return json.readValue(spec, RolloutSpec.class);
        } catch (JsonProcessingException e) {
            throw Jdbc.unavailable(STORE, e);
        }
    }

    private static String upper(String state) {
        return state.toUpperCase(Locale.ROOT).replace('-', '_');
    }

    private static Timestamp timestamp(Instant instant) {
        return instant == null ? null : Timestamp.from(instant);
    }

    private static Instant instant(Timestamp timestamp) {
        return timestamp == null ? null : timestamp.toInstant();
    }
}
