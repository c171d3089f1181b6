package dev.mecgw.app.twin.app;

import dev.mecgw.app.gateway.LifecyclePhase;
import dev.mecgw.app.twin.CommandDispatcher;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * Hands stored commands over once the MQTT and CoAP front-ends listen, and records expiries: a command's status turns
 * expired within a second of its expiry (issue 17).
 */
@ApplicationScoped
public class CommandLifecycle {

    private final CommandDispatcher dispatcher;
    private volatile boolean started;

    CommandLifecycle(CommandDispatcher dispatcher) {
        this.dispatcher = dispatcher;
    }

    // Once every front-end listens (the MQTT broker restored its sessions): the phase after FRONT_ENDS.
    void onStart(@Observes @Priority(LifecyclePhase.Order.REPORT_START) StartupEvent event) {
        dispatcher.start();
        started = true;
    }

    @Scheduled(every = "1s", delayed = "1s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void sweep() {
        if (started) {
            dispatcher.sweep();
        }
    }
}
