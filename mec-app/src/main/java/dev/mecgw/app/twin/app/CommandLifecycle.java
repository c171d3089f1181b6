package dev.mecgw.app.twin.app;

import dev.mecgw.app.gateway.LifecyclePhase;
import dev.mecgw.app.gateway.PhaseGate;
import dev.mecgw.app.gateway.StopDeadline;
import dev.mecgw.app.twin.CommandDispatcher;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * Hands stored commands over once the MQTT and CoAP front-ends listen, and records expiries: a command's status turns
 * expired within a second of its expiry (issue 17). The sweeps stop in the phase they started in, before the
 * front-ends close; the dispatcher's store thread closes with the writers, after the front-ends stopped reporting
 * deliveries and responses and before the store closes.
 */
@ApplicationScoped
public class CommandLifecycle {

    private final CommandDispatcher dispatcher;
    private final PhaseGate gate;
    // The scheduler may fire before the front-ends listen; the gate only ends the sweeps.
    private volatile boolean started;

    CommandLifecycle(CommandDispatcher dispatcher, StopDeadline stop) {
        this.dispatcher = dispatcher;
        this.gate = new PhaseGate("command expiry sweep", stop);
    }

    // Once every front-end listens (the MQTT broker restored its sessions): the phase after FRONT_ENDS.
    void onStart(@Observes @Priority(LifecyclePhase.Order.REPORT_START) StartupEvent event) {
        dispatcher.start();
        started = true;
    }

    // The gate waits for a sweep in flight: it ends before the front-ends close, and none runs after.
    void onStop(@Observes @Priority(LifecyclePhase.Order.REPORT_STOP) ShutdownEvent event) {
        gate.close();
    }

    void onClose(@Observes @Priority(LifecyclePhase.Order.WRITERS_STOP) ShutdownEvent event) {
        dispatcher.close();
    }

    @Scheduled(every = "1s", delayed = "1s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void sweep() {
        gate.run(() -> {
            if (started) {
                dispatcher.sweep();
            }
        });
    }
}
