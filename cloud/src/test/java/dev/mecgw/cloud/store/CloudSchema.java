package dev.mecgw.cloud.store;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;

/** A real PostgreSQL with the cloud's Flyway schema, for tests and benchmarks that run without Quarkus. */
public final class CloudSchema {

    private CloudSchema() {}

    /** Starts an embedded server (zonky defaults: not durable, fine for tests) and migrates it. */
    public static EmbeddedPostgres start() throws IOException {
        EmbeddedPostgres postgres = EmbeddedPostgres.start();
        migrate(postgres.getPostgresDatabase());
        return postgres;
    }

    /** Applies the cloud's migrations ({@code classpath:db/migration}) to {@code database}. */
    public static void migrate(DataSource database) {
        Flyway.configure()
                .dataSource(database)
                .locations("classpath:db/migration")
                .load()
                .migrate();
    }
}
