package dev.mecgw.cloud.store.app;

import dev.mecgw.cloud.store.CloudConfig;
import dev.mecgw.cloud.store.EmbeddedPostgresConfigSourceFactory;
import dev.mecgw.cloud.store.EmbeddedPostgresServer;
import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/** Stops the embedded PostgreSQL after closing the pool, so the server sees orderly disconnects. */
@ApplicationScoped
public class EmbeddedPostgresLifecycle {

    @Inject
    CloudConfig cloud;

    @Inject
    AgroalDataSource dataSource;

    /** Last stop phase of {@code CloudLifecycle}. */
    public void stop() {
        EmbeddedPostgresServer server = EmbeddedPostgresConfigSourceFactory.serverFor(cloud.dataDir());
        if (server == null) {
            return;
        }
        dataSource.close();
        server.stop();
    }
}
