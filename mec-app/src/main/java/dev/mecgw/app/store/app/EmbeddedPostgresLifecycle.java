package dev.mecgw.app.store.app;

import dev.mecgw.app.gateway.GatewayConfig;
import dev.mecgw.app.gateway.LifecyclePhase;
import dev.mecgw.app.store.EmbeddedPostgresConfigSourceFactory;
import dev.mecgw.app.store.EmbeddedPostgresServer;
import io.agroal.api.AgroalDataSource;
import io.quarkus.runtime.ShutdownEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

/**
 * Stops the embedded PostgreSQL on shutdown, after every other shutdown observer (they may still flush
 * to the database) and after closing the pool, so the server sees orderly disconnects and writes a
 * shutdown checkpoint.
 */
@ApplicationScoped
public class EmbeddedPostgresLifecycle {

    @Inject
    GatewayConfig gateway;

    @Inject
    AgroalDataSource dataSource;

    void onStop(@Observes @Priority(LifecyclePhase.Order.STORE_STOP) ShutdownEvent event) {
        EmbeddedPostgresServer server = EmbeddedPostgresConfigSourceFactory.serverFor(gateway.dataDir());
        if (server == null) {
            return;
        }
        dataSource.close();
        server.stop();
    }
}
