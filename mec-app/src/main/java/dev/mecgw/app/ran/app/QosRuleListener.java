package dev.mecgw.app.ran.app;

import dev.mecgw.app.events.EventLog;
import dev.mecgw.app.events.EventRecorded;
import dev.mecgw.app.gateway.LifecyclePhase;
import dev.mecgw.app.ran.QosRuleTrigger;
import dev.mecgw.app.ran.RanConfig;
import dev.mecgw.app.ran.RanNetwork;
import dev.mecgw.app.registry.DeviceRegistry;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.ObservesAsync;

/**
 * Builds the {@link QosRuleTrigger} from {@code mecgw.ran.qos-rules.*} and hands it every {@link EventRecorded}, on
 * the worker that delivers the asynchronous event.
 */
@ApplicationScoped
public class QosRuleListener {

    private final QosRuleTrigger trigger;

    QosRuleListener(RanNetwork ran, RanConfig config, DeviceRegistry registry, EventLog events, MeterRegistry meters) {
        this.trigger = new QosRuleTrigger(ran, QosRuleTrigger.rules(config), registry, events, meters);
    }

    /** Observing start-up creates this bean then, so that a bad rule stops the gateway instead of failing later. */
    void onStart(@Observes @Priority(LifecyclePhase.Order.RAN_START) StartupEvent event) {
        trigger.announce();
    }

    void onEvent(@ObservesAsync EventRecorded event) {
        trigger.onEvent(event);
    }
}
