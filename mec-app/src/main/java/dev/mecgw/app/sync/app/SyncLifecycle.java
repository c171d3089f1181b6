package dev.mecgw.app.sync.app;

import dev.mecgw.app.gateway.LifecyclePhase;
import dev.mecgw.app.sync.CloudSync;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.io.IOException;
import java.sql.SQLException;

/**
 * Starts the {@link CloudSync} (captures, downlink, cloud clients) in the SYNC phase and stops it in the reverse one;
 * a bad sync setting stops the gateway at start-up.
 */
@ApplicationScoped
public class SyncLifecycle {

    void onStart(@Observes @Priority(LifecyclePhase.Order.SYNC_START) StartupEvent event, CloudSync sync)
            throws IOException, SQLException {
        sync.start();
    }

    void onStop(@Observes @Priority(LifecyclePhase.Order.SYNC_STOP) ShutdownEvent event, CloudSync sync) {
        sync.stop();
    }
}
