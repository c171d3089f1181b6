package dev.mecgw.app.southbound.app;

import dev.mecgw.app.gateway.LifecyclePhase;
import dev.mecgw.app.registry.ConnectionChanges;
import dev.mecgw.app.southbound.Southbound;
import dev.mecgw.app.southbound.SouthboundConfig;
import dev.mecgw.app.twin.DeviceUpdatePublisher;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

/**
 * Starts the southbound clients with the other device front-ends and stops them first on shutdown, so that no
 * reading is polled after the ingest stopped (LifecyclePhase FRONT_ENDS).
 */
@ApplicationScoped
public class SouthboundLifecycle {

    private static final Logger LOG = Logger.getLogger(SouthboundLifecycle.class);

    private final Southbound southbound;
    private final ConnectionChanges changes;
    private final DeviceUpdatePublisher updates;
    private final SouthboundConfig config;
    private AutoCloseable commands;

    SouthboundLifecycle(
            Southbound southbound, ConnectionChanges changes, DeviceUpdatePublisher updates, SouthboundConfig config) {
        this.southbound = southbound;
        this.changes = changes;
        this.updates = updates;
        this.config = config;
    }

    void onStart(@Observes @Priority(LifecyclePhase.Order.FRONT_ENDS_START) StartupEvent event) {
        if (!config.enabled()) {
            LOG.info("Southbound clients are off (mecgw.southbound.enabled=false)");
            return;
        }
        changes.subscribe(southbound::reconcile);
        commands = updates.subscribe(southbound.commands());
        southbound.start();
    }

    void onStop(@Observes @Priority(LifecyclePhase.Order.FRONT_ENDS_STOP) ShutdownEvent event) {
        if (commands != null) {
            try {
                commands.close();
            } catch (Exception e) {
                LOG.debugf("command subscription not closed: %s", e.getMessage());
            }
        }
        southbound.close();
    }
}
