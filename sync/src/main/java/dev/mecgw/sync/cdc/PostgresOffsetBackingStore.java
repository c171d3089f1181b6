package dev.mecgw.sync.cdc;

import java.nio.ByteBuffer;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.runtime.WorkerConfig;
import org.apache.kafka.connect.storage.MemoryOffsetBackingStore;

/**
 * Debezium offset store in the local PostgreSQL itself, so that offsets can never be lost separately from the
 * data they describe. Debezium instantiates it by class name ({@code offset.storage}) and passes the connection
 * through the {@code mecgw.offset.*} engine properties. Each flush writes all offsets of one engine in one
 * transaction.
 */
public class PostgresOffsetBackingStore extends MemoryOffsetBackingStore {

    /** Engine property: JDBC URL of the database holding the offset table. */
    public static final String URL = "mecgw.offset.jdbc.url";
    /** Engine property: database user. */
    public static final String USER = "mecgw.offset.jdbc.user";
    /** Engine property: database password. */
    public static final String PASSWORD = "mecgw.offset.jdbc.password";
    /** Engine property: the name the offsets are stored under (one per engine). */
    public static final String STORE = "mecgw.offset.store";

    static final String TABLE = "mecgw_sync_offsets";

    private String url;
    private String user;
    private String password;
    private String store;

    @Override
    public void configure(WorkerConfig config) {
        super.configure(config);
        Map<String, Object> originals = config.originals();
        url = required(originals, URL);
        user = (String) originals.get(USER);
        password = (String) originals.get(PASSWORD);
        store = required(originals, STORE);
    }

    @Override
    public synchronized void start() {
        super.start();
        try (Connection connection = connect()) {
            createTable(connection);
            data = load(connection);
        } catch (SQLException e) {
            throw new ConnectException("cannot read sync offsets from " + url, e);
        }
    }

    @Override
    protected void save() {
        try (Connection connection = connect()) {
            connection.setAutoCommit(false);
            upsertAll(connection);
            connection.commit();
        } catch (SQLException e) {
            // Failing the flush keeps the previous offsets; the changes after them are captured again.
            throw new ConnectException("cannot store sync offsets in " + url, e);
        }
    }

    @Override
    public Set<Map<String, Object>> connectorPartitions(String connectorName) {
        // Only Kafka Connect's offset REST API asks for this; the embedded engine never does.
        return Set.of();
    }

    private void upsertAll(Connection connection) throws SQLException {
        String sql = "INSERT INTO " + TABLE + " (store, offset_key, offset_value, updated_at) VALUES (?, ?, ?, now())"
                + " ON CONFLICT (store, offset_key) DO UPDATE SET offset_value = EXCLUDED.offset_value,"
                + " updated_at = EXCLUDED.updated_at";
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            for (Map.Entry<ByteBuffer, ByteBuffer> entry : data.entrySet()) {
                statement.setString(1, store);
                statement.setBytes(2, bytes(entry.getKey()));
                statement.setBytes(3, bytes(entry.getValue()));
                statement.addBatch();
            }
            statement.executeBatch();
        }
    }

    private Map<ByteBuffer, ByteBuffer> load(Connection connection) throws SQLException {
        Map<ByteBuffer, ByteBuffer> loaded = new HashMap<>();
        String sql = "SELECT offset_key, offset_value FROM " + TABLE + " WHERE store = ?";
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setString(1, store);
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    byte[] value = rows.getBytes(2);
                    loaded.put(ByteBuffer.wrap(rows.getBytes(1)), value == null ? null : ByteBuffer.wrap(value));
                }
            }
        }
        return loaded;
    }

    static void createTable(Connection connection) throws SQLException {
        boolean autoCommit = connection.getAutoCommit();
        connection.setAutoCommit(false);
        try (Statement statement = connection.createStatement()) {
            createTableInTransaction(statement);
            connection.commit();
        } catch (SQLException e) {
            connection.rollback();
            throw e;
        } finally {
            connection.setAutoCommit(autoCommit);
        }
    }

    /** Creates the table within the caller's transaction, which must not be in auto-commit mode. */
    static void createTableInTransaction(Statement statement) throws SQLException {
        // CREATE TABLE IF NOT EXISTS races when two engines start together; serialize it.
        statement.execute("SELECT pg_advisory_xact_lock(hashtext('" + TABLE + "'))");
        statement.execute("CREATE TABLE IF NOT EXISTS " + TABLE + " (store text NOT NULL, offset_key bytea NOT NULL,"
                + " offset_value bytea, updated_at timestamptz NOT NULL, PRIMARY KEY (store, offset_key))");
    }

    private Connection connect() throws SQLException {
        return DriverManager.getConnection(url, user, password);
    }

    private static byte[] bytes(ByteBuffer buffer) {
        if (buffer == null) {
            return null;
        }
        byte[] copy = new byte[buffer.remaining()];
        buffer.duplicate().get(copy);
        return copy;
    }

    private static String required(Map<String, Object> originals, String key) {
        Object value = originals.get(key);
        if (value == null || value.toString().isBlank()) {
            throw new ConnectException("missing engine property " + key);
        }
        return value.toString();
    }
}
