package dev.mecgw.app.store;

import io.quarkus.runtime.ExecutionMode;
import io.smallrye.config.ConfigSourceContext;
import io.smallrye.config.ConfigSourceFactory;
import io.smallrye.config.ConfigValue;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiFunction;
import java.util.function.Function;
import org.eclipse.microprofile.config.spi.ConfigSource;

/**
 * Supplies the datasource settings of the embedded PostgreSQL when the operator configured no
 * {@code quarkus.datasource.jdbc.url}.
 *
 * <p>The server starts lazily, the first time the JDBC URL is read at runtime, which happens when the
 * datasource is created; never during the build. Servers are kept per data directory so
 * that a re-created configuration (tests restart the application) reuses the running one.
 */
public class EmbeddedPostgresConfigSourceFactory implements ConfigSourceFactory {

    static final String JDBC_URL = "quarkus.datasource.jdbc.url";
    static final String USERNAME = "quarkus.datasource.username";
    static final String PASSWORD = "quarkus.datasource.password";
    static final String DATA_DIR = "mecgw.data-dir";
    static final String DEFAULT_DATA_DIR = "./data";
    static final String LOG_BUDGET = "mecgw.store.log-budget";

    private static final Map<Path, EmbeddedPostgresServer> SERVERS = new ConcurrentHashMap<>();

    private final BiFunction<Path, Long, EmbeddedPostgresServer> newServer;

    /** The factory SmallRye Config loads (service file). */
    public EmbeddedPostgresConfigSourceFactory() {
        this(EmbeddedPostgresServer::new);
    }

    /**
     * @param newServer creates the server of a PostgreSQL data directory with the budget of its log in bytes (tests
     *     count its calls)
     */
    EmbeddedPostgresConfigSourceFactory(BiFunction<Path, Long, EmbeddedPostgresServer> newServer) {
        this.newServer = newServer;
    }

    @Override
    public Iterable<ConfigSource> getConfigSources(ConfigSourceContext context) {
        ConfigValue url = context.getValue(JDBC_URL);
        if (url != null && url.getValue() != null && !url.getValue().isBlank()) {
            // The system PostgreSQL: no embedded server, so its archive is never opened (issue 22 item 4).
            return List.of();
        }
        ConfigValue dir = context.getValue(DATA_DIR);
        Path dataDir = Path.of(dir != null && dir.getValue() != null ? dir.getValue() : DEFAULT_DATA_DIR);
        // Read here, not from StoreConfig: no mapping exists yet. A bad value fails the configuration, naming the key.
        ConfigValue budget = context.getValue(LOG_BUDGET);
        long logBudget = ServerLogFolder.budget(
                budget != null && budget.getValue() != null ? budget.getValue() : StoreConfig.LOG_BUDGET_DEFAULT);
        return List.of(new EmbeddedPostgresConfigSource(
                dataDir.toAbsolutePath().normalize(), d -> newServer.apply(d, logBudget)));
    }

    @Override
    public OptionalInt getPriority() {
        // Below application.properties (250) so that an operator's explicit settings always win.
        return OptionalInt.of(200);
    }

    /** The embedded server for a data directory, or {@code null} when none was started in this JVM. */
    public static EmbeddedPostgresServer serverFor(Path dataDir) {
        return SERVERS.get(dataDir.toAbsolutePath().normalize());
    }

    static final class EmbeddedPostgresConfigSource implements ConfigSource {

        private final Path dataDir;
        private final Function<Path, EmbeddedPostgresServer> newServer;

        EmbeddedPostgresConfigSource(Path dataDir, Function<Path, EmbeddedPostgresServer> newServer) {
            this.dataDir = dataDir;
            this.newServer = newServer;
        }

        @Override
        public Set<String> getPropertyNames() {
            return Set.of(JDBC_URL, USERNAME, PASSWORD);
        }

        @Override
        public String getValue(String propertyName) {
            switch (propertyName) {
                case JDBC_URL:
                    if (!atRuntime()) {
                        // The build reads configuration too; it must neither start a server nor bake
                        // a port into the application.
                        return null;
                    }
                    return runningServer().jdbcUrl();
                case USERNAME:
                    return EmbeddedPostgresServer.SUPERUSER;
                case PASSWORD:
                    // Read from the password file the server generated (0600); never baked in at build time.
                    return atRuntime() ? runningServer().password() : null;
                default:
                    return null;
            }
        }

        private EmbeddedPostgresServer runningServer() {
            EmbeddedPostgresServer server =
                    SERVERS.computeIfAbsent(dataDir, d -> newServer.apply(d.resolve("postgres")));
            server.start();
            return server;
        }

        private static boolean atRuntime() {
            ExecutionMode mode = ExecutionMode.current();
            return mode == ExecutionMode.RUNTIME_INIT || mode == ExecutionMode.RUNNING;
        }

        @Override
        public int getOrdinal() {
            return 200;
        }

        @Override
        public String getName() {
            return "mecgw-embedded-postgres";
        }
    }
}
