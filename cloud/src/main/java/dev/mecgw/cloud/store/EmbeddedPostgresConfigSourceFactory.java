package dev.mecgw.cloud.store;

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
import org.eclipse.microprofile.config.spi.ConfigSource;

/**
 * Supplies the datasource settings of the embedded PostgreSQL when the operator configured no
 * {@code quarkus.datasource.jdbc.url}. The server starts lazily, when the JDBC URL is first read at runtime (the
 * datasource is created), never during the build; servers are kept per data directory so that a re-created
 * configuration (tests restart the application) reuses the running one.
 */
public class EmbeddedPostgresConfigSourceFactory implements ConfigSourceFactory {

    static final String JDBC_URL = "quarkus.datasource.jdbc.url";
    static final String USERNAME = "quarkus.datasource.username";
    static final String PASSWORD = "quarkus.datasource.password";
    static final String DATA_DIR = "mecgw.cloud.data-dir";
    static final String DEFAULT_DATA_DIR = "./cloud-data";

    private static final Map<Path, EmbeddedPostgresServer> SERVERS = new ConcurrentHashMap<>();

    @Override
    public Iterable<ConfigSource> getConfigSources(ConfigSourceContext context) {
        ConfigValue url = context.getValue(JDBC_URL);
        if (url != null && url.getValue() != null && !url.getValue().isBlank()) {
            return List.of();
        }
        ConfigValue dir = context.getValue(DATA_DIR);
        Path dataDir = Path.of(dir != null && dir.getValue() != null ? dir.getValue() : DEFAULT_DATA_DIR);
        return List.of(new EmbeddedPostgresConfigSource(dataDir.toAbsolutePath().normalize()));
    }

    @Override
    public OptionalInt getPriority() {
        // Below application.properties (250) so that an operator's explicit settings always win.
        return OptionalInt.of(200);
    }

    /** @return the embedded server for a data directory, or {@code null} when none was started in this JVM */
    public static EmbeddedPostgresServer serverFor(Path dataDir) {
        return SERVERS.get(dataDir.toAbsolutePath().normalize());
    }

    static final class EmbeddedPostgresConfigSource implements ConfigSource {

        private final Path dataDir;

        EmbeddedPostgresConfigSource(Path dataDir) {
            this.dataDir = dataDir;
        }

        @Override
        public Set<String> getPropertyNames() {
            return Set.of(JDBC_URL, USERNAME, PASSWORD);
        }

        @Override
        public String getValue(String propertyName) {
            if (!atRuntime()) {
                // The build reads configuration too; it must neither start a server nor bake a port or a
                // password into the application.
                return null;
            }
            switch (propertyName) {
                case JDBC_URL:
                    EmbeddedPostgresServer server = SERVERS.computeIfAbsent(
                            dataDir, d -> new EmbeddedPostgresServer(d.resolve("postgres"), password()));
                    server.start();
                    return server.jdbcUrl();
                case USERNAME:
                    return "postgres";
                case PASSWORD:
                    return password().value();
                default:
                    return null;
            }
        }

        private StorePassword password() {
            return StorePassword.in(dataDir.resolve("postgres-password"));
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
            return "mecgw-cloud-embedded-postgres";
        }
    }
}
