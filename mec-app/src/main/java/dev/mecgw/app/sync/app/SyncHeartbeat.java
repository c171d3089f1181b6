package dev.mecgw.app.sync.app;

import dev.mecgw.app.gateway.GatewayConfig;
import dev.mecgw.app.gateway.LifecyclePhase;
import dev.mecgw.app.sync.CloudSync;
import dev.mecgw.app.sync.GatewayHeartbeat;
import dev.mecgw.app.sync.SyncConfig;
import dev.mecgw.inference.model.ModelRegistry;
import io.agroal.api.AgroalDataSource;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.health.SmallRyeHealthReporter;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import java.util.List;
import org.eclipse.microprofile.config.Config;

/**
 * Every {@code mecgw.sync.heartbeat-interval}: sends the {@link GatewayHeartbeat} (CONTRACT-sync §2) while sync is
 * configured and the backhaul is not down; a beat still running when the next is due makes that one skipped, not
 * late. A beat runs through {@link CloudSync#whileRunning}: once {@code CloudSync} stopped (SYNC's stop, which waits
 * for a beat in flight) beats neither read the sync status and device counts from the store nor send; the producer
 * closes in the same phase.
 */
@ApplicationScoped
public class SyncHeartbeat {

    private final CloudSync sync;
    private final GatewayHeartbeat heartbeat;

    SyncHeartbeat(
            SyncConfig config,
            GatewayConfig gateway,
            CloudSync sync,
            AgroalDataSource dataSource,
            Instance<ModelRegistry> models,
            Instance<SmallRyeHealthReporter> health,
            Config rawConfig) {
        this.sync = sync;
        this.heartbeat = new GatewayHeartbeat(
                config,
                gateway.siteId(),
                rawConfig
                        .getOptionalValue("quarkus.application.version", String.class)
                        .orElse("unknown"),
                new GatewayHeartbeat.Sources(
                        sync::status,
                        dataSource,
                        () -> health.isResolvable()
                                && !health.get().getReadiness().isDown(),
                        () -> models.isResolvable() ? models.get().list() : List.of()));
    }

    @Scheduled(
            every = "${mecgw.sync.heartbeat-interval}",
            delayed = "${mecgw.sync.heartbeat-interval}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void beat() {
        sync.whileRunning(heartbeat::beat);
    }

    void onStop(@Observes @Priority(LifecyclePhase.Order.SYNC_STOP) ShutdownEvent event) {
        heartbeat.close();
    }
}
