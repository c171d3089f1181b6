package dev.mecgw.app.modelrollout;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mecgw.app.store.Jdbc;
import java.io.IOException;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import javax.sql.DataSource;

/**
 * The site's side of model rollouts in PostgreSQL (V180): the replicated status row, the offer and the chunks.
 * Each chunk is stored in the transaction that also advances {@code chunks_received} and {@code missing}, and is
 * committed before the consumer commits its Kafka offset: a chunk seen again is a no-op. Every method throws a store
 * failure as an {@link SQLException} with the database's SQLSTATE, so that the model downlink retries what a retry
 * can fix and skips a refusal for good ({@code dev.mecgw.sync.kafka.StoreRefusal}). Thread-safe.
 */
final class PostgresModelInstalls {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** Statements through the one helper; writes of other stores on the same pool (the event log) join its steps. */
    private final Jdbc jdbc;

    PostgresModelInstalls(DataSource dataSource) {
        this.jdbc = new Jdbc(dataSource, "Model install store");
    }

    /** @return true when the offer is new; an offer seen before changes nothing */
    boolean offer(ModelOffer offer, JsonNode message, String previousVersion) throws SQLException {
        String offerJson;
        try {
            offerJson = JSON.writeValueAsString(message);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("A JSON tree always serializes", e);
        }
        return inTransaction("offer " + offer.rolloutId() + " not stored", connection -> {
            try (PreparedStatement insert = connection.prepareStatement("INSERT INTO mecgw_model_installs"
                    + " (rollout_id, model, version, previous_version, state, chunks_total, missing)"
                    + " VALUES (?, ?, ?, ?, 'downloading', ?, ?) ON CONFLICT (rollout_id) DO NOTHING")) {
                insert.setString(1, offer.rolloutId());
                insert.setString(2, offer.name());
                insert.setString(3, offer.version());
                insert.setString(4, previousVersion);
                insert.setInt(5, offer.chunks());
                insert.setString(6, ChunkAssembly.missing(Set.of(), offer.chunks()));
                if (insert.executeUpdate() == 0) {
                    // Seen before: nothing was written, so committing is rolling back.
                    return false;
                }
            }
            try (PreparedStatement insert = connection.prepareStatement(
                    "INSERT INTO mecgw_model_offers (rollout_id, offer) VALUES (?, CAST(? AS jsonb))")) {
                insert.setString(1, offer.rolloutId());
                insert.setString(2, offerJson);
                insert.executeUpdate();
            }
            return true;
        });
    }

    /**
     * What storing a chunk did.
     *
     * @param stored true when this call stored it, false when it was stored before
     * @param received the chunks stored so far, including this one
     */
    record ChunkWrite(boolean stored, Set<Integer> received) {}

    /**
     * Stores a chunk once and advances the status row.
     *
     * @return what it did; empty when the rollout is unknown or no longer downloading
     */
    Optional<ChunkWrite> chunk(String rolloutId, int index, byte[] data) throws SQLException {
        return inTransaction("chunk " + index + " of " + rolloutId + " not stored", connection -> {
            int total;
            try (PreparedStatement lock = connection.prepareStatement("SELECT chunks_total FROM mecgw_model_installs"
                    + " WHERE rollout_id = ? AND state = 'downloading' FOR UPDATE")) {
                lock.setString(1, rolloutId);
                try (ResultSet row = lock.executeQuery()) {
                    if (!row.next()) {
                        // Nothing locked or written: committing is rolling back.
                        return Optional.<ChunkWrite>empty();
                    }
                    total = row.getInt(1);
                }
            }
            boolean stored;
            try (PreparedStatement insert = connection.prepareStatement("INSERT INTO mecgw_model_chunks (rollout_id,"
                    + " idx, data) VALUES (?, ?, ?) ON CONFLICT (rollout_id, idx) DO NOTHING")) {
                insert.setString(1, rolloutId);
                insert.setInt(2, index);
                insert.setBytes(3, data);
                stored = insert.executeUpdate() == 1;
            }
            Set<Integer> received = new HashSet<>();
            try (PreparedStatement query =
                    connection.prepareStatement("SELECT idx FROM mecgw_model_chunks WHERE rollout_id = ?")) {
                query.setString(1, rolloutId);
                try (ResultSet row = query.executeQuery()) {
                    while (row.next()) {
                        received.add(row.getInt(1));
                    }
                }
            }
            try (PreparedStatement update = connection.prepareStatement("UPDATE mecgw_model_installs SET"
                    + " chunks_received = ?, missing = ?, updated_at = now() WHERE rollout_id = ?"
                    + " AND chunks_received <> ?")) {
                update.setInt(1, received.size());
                update.setString(2, ChunkAssembly.missing(received, total));
                update.setString(3, rolloutId);
                update.setInt(4, received.size());
                update.executeUpdate();
            }
            return Optional.of(new ChunkWrite(stored, received));
        });
    }

    Map<Integer, byte[]> chunks(String rolloutId) throws SQLException {
        return store(
                "chunks of " + rolloutId + " not read",
                () -> jdbc.withConnection(connection -> {
                    Map<Integer, byte[]> chunks = new HashMap<>();
                    try (PreparedStatement query = connection.prepareStatement(
                            "SELECT idx, data FROM mecgw_model_chunks WHERE rollout_id = ?")) {
                        query.setString(1, rolloutId);
                        try (ResultSet row = query.executeQuery()) {
                            while (row.next()) {
                                chunks.put(row.getInt(1), row.getBytes(2));
                            }
                        }
                    }
                    return chunks;
                }));
    }

    Optional<InstallRecord> find(String rolloutId) throws SQLException {
        List<InstallRecord> found = query(" WHERE i.rollout_id = ?", rolloutId);
        return found.isEmpty() ? Optional.empty() : Optional.of(found.get(0));
    }

    /** Installs whose health gate is watching. */
    List<InstallRecord> gating() throws SQLException {
        return query(" WHERE i.state = 'gating' ORDER BY i.installed_at", null);
    }

    private List<InstallRecord> query(String where, String parameter) throws SQLException {
        return store(
                "model installs not read",
                () -> jdbc.queryList(
                        "SELECT o.offer::text, i.previous_version, i.state, i.chunks_received, i.installed_at"
                                + " FROM mecgw_model_installs i JOIN mecgw_model_offers o ON o.rollout_id = i.rollout_id"
                                + where,
                        ps -> {
                            if (parameter != null) {
                                ps.setString(1, parameter);
                            }
                        },
                        row -> {
                            Timestamp installed = row.getTimestamp(5);
                            try {
                                return new InstallRecord(
                                        ModelOffer.parse(JSON.readTree(row.getString(1))),
                                        row.getString(2),
                                        row.getString(3),
                                        row.getInt(4),
                                        installed == null ? null : installed.toInstant());
                            } catch (IOException e) {
                                throw new SQLException("mecgw_model_offers.offer is unreadable", e);
                            }
                        }));
    }

    /**
     * Moves the status row and, in the same transaction, records what the step announces (its event): both are
     * committed or neither (review r8: a crash between two commits left a state without its event). Chunks are
     * dropped once the download is over (installed, failed or cancelled).
     *
     * @param gate the gate's figures; null leaves them
     * @param installedAt set when not null
     * @param alongside runs inside the transaction after the update; writes through a {@link Jdbc} on the same pool
     *     (the event log) join it, and its failure rolls the update back
     * @throws SQLException when the store fails or {@code alongside}'s store does, with the failure's SQLSTATE:
     *     nothing was written
     * @throws RuntimeException what else {@code alongside} throws (a defect): nothing was written
     */
    void state(
            String rolloutId,
            String state,
            String reason,
            Map<String, Object> gate,
            Instant installedAt,
            Runnable alongside)
            throws SQLException {
        String gateJson;
        try {
            gateJson = gate == null ? null : JSON.writeValueAsString(gate);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("gate figures always serialize", e);
        }
        inTransaction("model rollout " + rolloutId + " not moved to " + state, connection -> {
            try (PreparedStatement update = connection.prepareStatement("UPDATE mecgw_model_installs SET"
                    + " state = ?, reason = ?, gate = coalesce(CAST(? AS jsonb), gate),"
                    + " installed_at = coalesce(?, installed_at), updated_at = now() WHERE rollout_id = ?")) {
                update.setString(1, state);
                update.setString(2, reason);
                update.setString(3, gateJson);
                if (installedAt == null) {
                    update.setNull(4, Types.TIMESTAMP_WITH_TIMEZONE);
                } else {
                    update.setTimestamp(4, Timestamp.from(installedAt));
                }
                update.setString(5, rolloutId);
                update.executeUpdate();
            }
            if (!"downloading".equals(state)) {
                try (PreparedStatement drop =
                        connection.prepareStatement("DELETE FROM mecgw_model_chunks WHERE rollout_id = ?")) {
                    drop.setString(1, rolloutId);
                    drop.executeUpdate();
                }
            }
            alongside.run();
            return null;
        });
    }

    /** {@link Jdbc#inTransaction}, failing as {@link #store} says. */
    private <T> T inTransaction(String what, Jdbc.SqlWork<T> work) throws SQLException {
        return store(what, () -> jdbc.inTransaction(work));
    }

    /**
     * Runs a call of {@link Jdbc} and throws a store failure, this store's or that of another store whose writes joined
     * the transaction (the event log's), as an {@link SQLException} with the database's SQLSTATE: the caller retries
     * what a retry can fix and skips a refusal for good. Anything else is a defect that no retry fixes: it passes
     * unchanged.
     *
     * @param what what was not done, for the message
     */
    private static <T> T store(String what, Supplier<T> call) throws SQLException {
        try {
            return call.get();
        } catch (RuntimeException e) {
            SQLException database = Jdbc.databaseCause(e);
            if (database == null) {
                throw e;
            }
            throw new SQLException(what + ": " + database.getMessage(), database.getSQLState(), e);
        }
    }
}
