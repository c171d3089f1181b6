package dev.mecgw.app.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.smallrye.config.ConfigSourceContext;
import io.smallrye.config.ConfigValue;
import java.nio.file.Path;
import java.util.Collections;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.microprofile.config.spi.ConfigSource;
import org.junit.jupiter.api.Test;

/** The embedded server, and with it zonky's archive, exists only when no system PostgreSQL is configured. */
class EmbeddedPostgresConfigSourceFactoryTest {

    private final AtomicInteger servers = new AtomicInteger();
    private final EmbeddedPostgresConfigSourceFactory factory =
            new EmbeddedPostgresConfigSourceFactory((dir, logBudget) -> {
                servers.incrementAndGet();
                throw new AssertionError("embedded server created for " + dir);
            });

    @Test
    void shouldNeverCreateTheEmbeddedServerWhenTheSystemPostgresIsConfigured() {
        // given the appliance's configuration: the system PostgreSQL (issue 22 item 4)
        ConfigSourceContext context = givenAContext(Map.of(
                EmbeddedPostgresConfigSourceFactory.JDBC_URL, "jdbc:postgresql://127.0.0.1:5432/mecgw",
                EmbeddedPostgresConfigSourceFactory.DATA_DIR, "/var/lib/mecgw"));

        // when
        Iterable<ConfigSource> sources = factory.getConfigSources(context);

        // then no source could start a server, so the archive is never opened
        assertThat(sources).isEmpty();
        assertThat(servers.get()).isZero();
        assertThat(EmbeddedPostgresConfigSourceFactory.serverFor(Path.of("/var/lib/mecgw")))
                .isNull();
    }

    @Test
    void shouldSupplyTheEmbeddedDatasourceWhenNoJdbcUrlIsConfigured() {
        // given
        ConfigSourceContext context = givenAContext(Map.of(EmbeddedPostgresConfigSourceFactory.DATA_DIR, "/tmp/x"));

        // when
        Iterable<ConfigSource> sources = factory.getConfigSources(context);

        // then a source is there, and nothing started before the datasource asks for its URL at run time
        assertThat(sources)
                .singleElement()
                .satisfies(source ->
                        assertThat(source.getPropertyNames()).contains(EmbeddedPostgresConfigSourceFactory.JDBC_URL));
        assertThat(servers.get()).isZero();
    }

    @Test
    void shouldRefuseALogBudgetOutOfRangeWhenNoJdbcUrlIsConfigured() {
        // given
        ConfigSourceContext context = givenAContext(Map.of(
                EmbeddedPostgresConfigSourceFactory.DATA_DIR, "/tmp/x",
                EmbeddedPostgresConfigSourceFactory.LOG_BUDGET, "16K"));

        // when / then the configuration fails, naming the key, before any server exists
        assertThatThrownBy(() -> factory.getConfigSources(context))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("mecgw.store.log-budget")
                .hasMessageContaining("16K");
        assertThat(servers.get()).isZero();
    }

    private static ConfigSourceContext givenAContext(Map<String, String> values) {
        return new ConfigSourceContext() {
            @Override
            public ConfigValue getValue(String name) {
                String value = values.get(name);
                return value == null
                        ? null
                        : ConfigValue.builder().withName(name).withValue(value).build();
            }

            @Override
            public Iterator<String> iterateNames() {
                return Collections.unmodifiableSet(values.keySet()).iterator();
            }
        };
    }
}
