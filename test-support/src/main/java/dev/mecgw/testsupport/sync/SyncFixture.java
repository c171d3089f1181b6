package dev.mecgw.testsupport.sync;

import dev.mecgw.testsupport.kafka.EmbeddedKafkaBroker;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Comparator;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * What the sync tests run against: an edge PostgreSQL with logical replication (what Debezium's capture needs), an
 * in-process KRaft Kafka whose edge listener sits behind a cuttable backhaul ({@link EmbeddedKafkaBroker#backhaul()}),
 * and, when asked for, a plain cloud PostgreSQL. All on 127.0.0.1, ports chosen by the system.
 *
 * <p>A JUnit 5 extension for a whole test class: register it in a <em>static</em> field,
 *
 * <pre>{@code
 * @RegisterExtension
 * static final SyncFixture sync = SyncFixture.edgeAndKafka();
 * }</pre>
 *
 * It starts before the class's {@code @BeforeAll} methods and stops after its {@code @AfterAll} methods. The
 * embedded servers keep their test defaults (no fsync): durability is tested elsewhere, with a killed process.
 */
public final class SyncFixture implements BeforeAllCallback, AfterAllCallback {

    private final boolean withCloud;
    private Path kafkaDir;
    private EmbeddedPostgres edge;
    private EmbeddedPostgres cloud;
    private EmbeddedKafkaBroker kafka;

    private SyncFixture(boolean withCloud) {
        this.withCloud = withCloud;
    }

    /** @return a fixture of an edge database and a broker */
    public static SyncFixture edgeAndKafka() {
        return new SyncFixture(false);
    }

    /** @return a fixture of an edge database, a broker and a cloud database ({@link #cloud()}) */
    public static SyncFixture edgeKafkaAndCloud() {
        return new SyncFixture(true);
    }

    /**
     * An edge database as the gateway's capture needs it: {@code wal_level=logical} and room for ten replication
     * slots and WAL senders (a test may add settings, e.g. {@code max_slot_wal_keep_size}, before starting it).
     */
    public static EmbeddedPostgres.Builder logicalReplication() {
        return EmbeddedPostgres.builder()
                .setServerConfig("wal_level", "logical")
                .setServerConfig("max_replication_slots", "10")
                .setServerConfig("max_wal_senders", "10");
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        try {
            edge = logicalReplication().start();
            cloud = withCloud ? EmbeddedPostgres.builder().start() : null;
            kafkaDir = Files.createTempDirectory("mecgw-sync-kafka");
            kafka = EmbeddedKafkaBroker.start(kafkaDir);
        } catch (Exception | Error e) {
            try {
                stop();
            } catch (IOException | RuntimeException cleanup) {
                e.addSuppressed(cleanup);
            }
            throw e;
        }
    }

    @Override
    public void afterAll(ExtensionContext context) throws IOException {
        stop();
    }

    /** @return the edge (site) database, user {@code postgres} without password */
    public EmbeddedPostgres edge() {
        return started(edge);
    }

    /** @return the cloud database; only from {@link #edgeKafkaAndCloud()} */
    public EmbeddedPostgres cloud() {
        if (!withCloud) {
            throw new IllegalStateException("no cloud database: register SyncFixture.edgeKafkaAndCloud()");
        }
        return started(cloud);
    }

    /** @return the broker; the edge reaches it through {@link EmbeddedKafkaBroker#edgeBootstrap()} */
    public EmbeddedKafkaBroker kafka() {
        return started(kafka);
    }

    /** @return the JDBC URL of the edge database */
    public String edgeUrl() {
        return jdbcUrl(edge());
    }

    /** Runs one or more SQL statements on the edge database. */
    public void execute(String sql) throws SQLException {
        execute(edge(), sql);
    }

    /** @return the JDBC URL of {@code db} on 127.0.0.1, database {@code postgres} */
    public static String jdbcUrl(EmbeddedPostgres db) {
        return "jdbc:postgresql://127.0.0.1:" + db.getPort() + "/postgres";
    }

    /** @return a new connection to {@code db} as {@code postgres}; the caller closes it */
    public static Connection connect(EmbeddedPostgres db) throws SQLException {
        return DriverManager.getConnection(jdbcUrl(db), "postgres", null);
    }

    /** Runs one or more SQL statements on {@code db}. */
    public static void execute(EmbeddedPostgres db, String sql) throws SQLException {
        try (Connection connection = connect(db);
                Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    /** @return the first column of the first row of {@code sql} on {@code db}, as a number */
    public static long queryLong(EmbeddedPostgres db, String sql) throws SQLException {
        try (Connection connection = connect(db);
                Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery(sql)) {
            rows.next();
            return rows.getLong(1);
        }
    }

    /** Binds the parameters of one row of an insert, identified by {@code id}. */
    @FunctionalInterface
    public interface RowBinder {
        void bind(PreparedStatement insert, long id) throws SQLException;
    }

    /**
     * Inserts rows {@code from} to {@code from + count - 1} with {@code insertSql}, committing every hundred ids (a
     * site writing in small transactions). The connection is closed at the end, which makes its backend report its
     * statistics at once.
     */
    public static void insertInBatches(EmbeddedPostgres db, String insertSql, long from, int count, RowBinder row)
            throws SQLException {
        try (Connection connection = connect(db)) {
            connection.setAutoCommit(false);
            try (PreparedStatement insert = connection.prepareStatement(insertSql)) {
                for (long id = from; id < from + count; id++) {
                    row.bind(insert, id);
                    insert.addBatch();
                    if (id % 100 == 99) {
                        insert.executeBatch();
                        connection.commit();
                    }
                }
                insert.executeBatch();
                connection.commit();
            }
        }
    }

    private static <T> T started(T server) {
        if (server == null) {
            throw new IllegalStateException("SyncFixture is not running: register it in a static @RegisterExtension"
                    + " field and use it from @BeforeAll or a test");
        }
        return server;
    }

    // The broker first (its clients may still talk to it), then the databases; each is stopped even when one fails.
    private void stop() throws IOException {
        try {
            if (kafka != null) {
                kafka.close();
            }
        } finally {
            kafka = null;
            try {
                closeDatabases();
            } finally {
                deleteKafkaDir();
            }
        }
    }

    private void closeDatabases() throws IOException {
        try {
            if (cloud != null) {
                cloud.close();
            }
        } finally {
            cloud = null;
            if (edge != null) {
                EmbeddedPostgres closing = edge;
                edge = null;
                closing.close();
            }
        }
    }

    private void deleteKafkaDir() throws IOException {
        if (kafkaDir == null) {
            return;
        }
        try (Stream<Path> paths = Files.walk(kafkaDir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> {
                try {
                    Files.delete(path);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (UncheckedIOException e) {
            throw e.getCause();
        } finally {
            kafkaDir = null;
        }
    }
}
