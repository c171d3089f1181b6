package dev.mecgw.cloud.modelrollout;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Model rollouts in the cloud database (V3): the rollout row with the model bytes and spec, its waves, its sites and
 * the transitions; and the sites' reports from the mirrored {@code mecgw_model_installs}. Every method takes the
 * caller's connection, so that a load, a machine step and its save share one transaction.
 */
final class PostgresModelRolloutStore {

    // A spec field missing from a stored row fails the read instead of coming out 0 or null: a field added later
    // needs a migration that gives the old rows its value (V4 did for the vision gate fields).
    static final ObjectMapper JSON = JsonMapper.builder()
            .findAndAddModules()
            .enable(DeserializationFeature.FAIL_ON_MISSING_CREATOR_PROPERTIES)
            .disable(SerializationFeature.WRITE_DURATIONS_AS_TIMESTAMPS)
            .build();

    void insert(Connection connection, ModelRollout rollout, byte[] model) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement("INSERT INTO cloud_model_rollouts (id, name,"
                + " version, sha256, size, model, spec, state, reason, created_at, updated_at)"
                + " VALUES (?, ?, ?, ?, ?, ?, CAST(? AS jsonb), ?, ?, ?, ?)")) {
            ModelRolloutSpec spec = rollout.spec;
            insert.setString(1, rollout.id);
            insert.setString(2, spec.name());
            insert.setString(3, spec.version());
            insert.setString(4, spec.sha256());
            insert.setLong(5, spec.size());
            insert.setBytes(6, model);
            insert.setString(7, JSON.writeValueAsString(spec));
            insert.setString(8, SiteState.label(rollout.state));
            insert.setString(9, rollout.reason);
            insert.setTimestamp(10, Timestamp.from(rollout.createdAt));
            insert.setTimestamp(11, Timestamp.from(rollout.updatedAt));
            insert.executeUpdate();
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("A rollout spec always serializes", e);
        }
        for (ModelRollout.Wave wave : rollout.waves) {
            try (PreparedStatement insert = connection.prepareStatement(
                    "INSERT INTO cloud_model_rollout_waves (rollout_id, idx, name, state) VALUES (?, ?, ?, ?)")) {
                insert.setString(1, rollout.id);
                insert.setInt(2, wave.index);
                insert.setString(3, wave.name);
                insert.setString(4, SiteState.label(wave.state));
                insert.executeUpdate();
            }
            for (ModelRollout.Site site : wave.sites) {
                try (PreparedStatement insert = connection.prepareStatement("INSERT INTO cloud_model_rollout_sites"
                        + " (rollout_id, site_id, wave, state, since) VALUES (?, ?, ?, ?, ?)")) {
                    insert.setString(1, rollout.id);
                    insert.setString(2, site.siteId);
                    insert.setInt(3, wave.index);
                    insert.setString(4, site.state.label());
                    insert.setTimestamp(5, Timestamp.from(site.since));
                    insert.executeUpdate();
                }
            }
        }
    }

    /** Loads a rollout, locking its row until the transaction ends (one tick or API call at a time). */
    Optional<ModelRollout> lock(Connection connection, String id) throws SQLException {
        ModelRollout rollout;
        try (PreparedStatement query = connection.prepareStatement("SELECT spec, state, reason, created_at,"
                + " updated_at FROM cloud_model_rollouts WHERE id = ? FOR UPDATE")) {
            query.setString(1, id);
            try (ResultSet row = query.executeQuery()) {
                if (!row.next()) {
                    return Optional.empty();
                }
                ModelRolloutSpec spec = JSON.readValue(row.getString(1), ModelRolloutSpec.class);
                rollout = new ModelRollout(
                        id, spec, state(RolloutState.class, row.getString(2)), row.getString(3), instant(row, 4));
                rollout.updatedAt = instant(row, 5);
            } catch (IOException e) {
                throw new SQLException("cloud_model_rollouts.spec of " + id + " is unreadable", e);
            }
        }
        try (PreparedStatement query = connection.prepareStatement("SELECT idx, name, state, reason, started_at,"
                + " ended_at FROM cloud_model_rollout_waves WHERE rollout_id = ? ORDER BY idx")) {
            query.setString(1, id);
            try (ResultSet row = query.executeQuery()) {
                while (row.next()) {
                    ModelRollout.Wave wave = new ModelRollout.Wave(
                            row.getInt(1), row.getString(2), state(WaveState.class, row.getString(3)));
                    wave.reason = row.getString(4);
                    wave.startedAt = instant(row, 5);
                    wave.endedAt = instant(row, 6);
                    rollout.waves.add(wave);
                }
            }
        }
        try (PreparedStatement query = connection.prepareStatement("SELECT site_id, wave, state, reason, since,"
                + " progress_at, chunks_received, resent_chunks, resent_at FROM cloud_model_rollout_sites WHERE rollout_id = ?"
                + " ORDER BY wave, site_id")) {
            query.setString(1, id);
            try (ResultSet row = query.executeQuery()) {
                while (row.next()) {
                    ModelRollout.Site site = new ModelRollout.Site(
                            row.getString(1), row.getInt(2), state(SiteState.class, row.getString(3)), instant(row, 5));
                    site.reason = row.getString(4);
                    site.progressAt = instant(row, 6);
                    site.chunksReceived = row.getInt(7);
                    site.resentChunks = row.getInt(8);
                    site.resentAt = instant(row, 9);
                    rollout.waves.get(site.wave).sites.add(site);
                }
            }
        }
        return Optional.of(rollout);
    }

    /** Writes the rollout's states back and appends the step's transitions. */
    void save(Connection connection, ModelRollout rollout, Step step) throws SQLException {
        try (PreparedStatement update = connection.prepareStatement(
                "UPDATE cloud_model_rollouts SET state = ?, reason = ?, updated_at = ? WHERE id = ?")) {
            update.setString(1, SiteState.label(rollout.state));
            update.setString(2, rollout.reason);
            update.setTimestamp(3, Timestamp.from(rollout.updatedAt));
            update.setString(4, rollout.id);
            update.executeUpdate();
        }
        try (PreparedStatement update = connection.prepareStatement("UPDATE cloud_model_rollout_waves SET state = ?,"
                + " reason = ?, started_at = ?, ended_at = ? WHERE rollout_id = ? AND idx = ?")) {
            for (ModelRollout.Wave wave : rollout.waves) {
                update.setString(1, SiteState.label(wave.state));
                update.setString(2, wave.reason);
                setInstant(update, 3, wave.startedAt);
                setInstant(update, 4, wave.endedAt);
                update.setString(5, rollout.id);
                update.setInt(6, wave.index);
                update.addBatch();
            }
            update.executeBatch();
        }
        try (PreparedStatement update = connection.prepareStatement("UPDATE cloud_model_rollout_sites SET state = ?,"
                + " reason = ?, since = ?, progress_at = ?, chunks_received = ?, resent_chunks = ?, resent_at = ?"
                + " WHERE rollout_id = ? AND site_id = ?")) {
            for (ModelRollout.Site site : rollout.sites()) {
                update.setString(1, site.state.label());
                update.setString(2, site.reason);
                update.setTimestamp(3, Timestamp.from(site.since));
                setInstant(update, 4, site.progressAt);
                update.setInt(5, site.chunksReceived);
                update.setInt(6, site.resentChunks);
                setInstant(update, 7, site.resentAt);
                update.setString(8, rollout.id);
                update.setString(9, site.siteId);
                update.addBatch();
            }
            update.executeBatch();
        }
        try (PreparedStatement insert = connection.prepareStatement("INSERT INTO cloud_model_rollout_transitions"
                + " (rollout_id, scope, subject, from_state, to_state, reason, at) VALUES (?, ?, ?, ?, ?, ?, ?)")) {
            for (Transition t : step.transitions()) {
                insert.setString(1, t.rolloutId());
                insert.setString(2, t.scope());
                insert.setString(3, t.subject());
                insert.setString(4, t.from());
                insert.setString(5, t.to());
                insert.setString(6, t.reason());
                insert.setTimestamp(7, Timestamp.from(t.at()));
                insert.addBatch();
            }
            insert.executeBatch();
        }
    }

    byte[] model(Connection connection, String id) throws SQLException {
        try (PreparedStatement query =
                connection.prepareStatement("SELECT model FROM cloud_model_rollouts WHERE id = ?")) {
            query.setString(1, id);
            try (ResultSet row = query.executeQuery()) {
                if (!row.next()) {
                    throw new SQLException("model rollout " + id + " vanished");
                }
                return row.getBytes(1);
            }
        }
    }

    /**
     * Ids of the rollouts that still move (running or paused) or still have something to publish (an abort's cancels
     * and reverts that Kafka has not confirmed), oldest first.
     */
    List<String> open(Connection connection) throws SQLException {
        return ids(
                connection,
                "SELECT id FROM cloud_model_rollouts r WHERE state IN ('running', 'paused') OR EXISTS (SELECT 1"
                        + " FROM cloud_model_rollout_sites s WHERE s.rollout_id = r.id"
                        + " AND s.state IN ('sending', 'cancelling', 'reverting')) ORDER BY created_at");
    }

    /** Ids of every rollout, newest first. */
    List<String> all(Connection connection) throws SQLException {
        return ids(connection, "SELECT id FROM cloud_model_rollouts ORDER BY created_at DESC");
    }

    private static List<String> ids(Connection connection, String sql) throws SQLException {
        List<String> ids = new ArrayList<>();
        try (PreparedStatement query = connection.prepareStatement(sql);
                ResultSet row = query.executeQuery()) {
            while (row.next()) {
                ids.add(row.getString(1));
            }
        }
        return ids;
    }

    /** The sites' latest reports on a rollout, from their replicated {@code mecgw_model_installs}. */
    Map<String, SiteReport> reports(Connection connection, String id) throws SQLException {
        Map<String, SiteReport> reports = new HashMap<>();
        try (PreparedStatement query = connection.prepareStatement("SELECT site_id, state, reason,"
                + " coalesce(chunks_received, 0), missing, updated_at FROM mecgw_model_installs"
                + " WHERE rollout_id = ? AND NOT deleted")) {
            query.setString(1, id);
            try (ResultSet row = query.executeQuery()) {
                while (row.next()) {
                    reports.put(
                            row.getString(1),
                            new SiteReport(
                                    row.getString(2),
                                    row.getString(3),
                                    row.getInt(4),
                                    row.getString(5),
                                    instant(row, 6)));
                }
            }
        }
        return reports;
    }

    /** The site report columns the view shows besides the cloud's state: reported state, previous version, gate. */
    Map<String, Object[]> reportDetails(Connection connection, String id) throws SQLException {
        Map<String, Object[]> details = new HashMap<>();
        try (PreparedStatement query = connection.prepareStatement("SELECT site_id, state, previous_version,"
                + " gate::text FROM mecgw_model_installs WHERE rollout_id = ? AND NOT deleted")) {
            query.setString(1, id);
            try (ResultSet row = query.executeQuery()) {
                while (row.next()) {
                    JsonNode gate = row.getString(4) == null ? null : JSON.readTree(row.getString(4));
                    details.put(row.getString(1), new Object[] {row.getString(2), row.getString(3), gate});
                }
            } catch (IOException e) {
                throw new SQLException("mecgw_model_installs.gate is not JSON", e);
            }
        }
        return details;
    }

    private static <E extends Enum<E>> E state(Class<E> type, String label) {
        return Enum.valueOf(type, label.toUpperCase(java.util.Locale.ROOT).replace('-', '_'));
    }

    private static Instant instant(ResultSet row, int column) throws SQLException {
        Timestamp value = row.getTimestamp(column);
        return value == null ? null : value.toInstant();
    }

    private static void setInstant(PreparedStatement statement, int index, Instant value) throws SQLException {
        if (value == null) {
            statement.setNull(index, Types.TIMESTAMP_WITH_TIMEZONE);
        } else {
            statement.setTimestamp(index, Timestamp.from(value));
        }
    }
}
