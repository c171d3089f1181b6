package dev.mecgw.app.gateway.app;

import dev.mecgw.app.gateway.LifecyclePhase;
import dev.mecgw.app.gateway.StopDeadline;
import io.quarkus.runtime.ShutdownEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/**
 * Builds the shutdown's one {@link StopDeadline}, which every {@code PhaseGate}'s wiring hands to its gate, and starts
 * it when the stop begins: in the first stop phase, REPORT's, before any later phase's gate closes (review 10, 4).
 */
@ApplicationScoped
public class GatewayProducers {

    @Produces
    @Singleton
    StopDeadline stopDeadline() {
        return new StopDeadline();
    }

    // The gates of REPORT's own stop may close before this observer (one priority, no set order): their close starts
    // the deadline itself.
    void onStop(@Observes @Priority(LifecyclePhase.Order.REPORT_STOP) ShutdownEvent event, StopDeadline deadline) {
        deadline.start();
    }
}
