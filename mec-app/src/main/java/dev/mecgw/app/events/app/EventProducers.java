package dev.mecgw.app.events.app;

import dev.mecgw.app.events.EventLog;
import dev.mecgw.app.events.EventsConfig;
import dev.mecgw.app.events.RejectedPayloadEvents;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Inject;
import java.time.Clock;

/** Builds the rejected-payload aggregator, flushes ended minutes every 10 s, and writes the rest on shutdown. */
@ApplicationScoped
public class EventProducers {

    @Inject
    RejectedPayloadEvents rejections;

    @Produces
    @ApplicationScoped
    RejectedPayloadEvents rejectedPayloadEvents(EventLog events, EventsConfig config, MeterRegistry meters) {
        return new RejectedPayloadEvents(
                events, Clock.systemUTC(), config.rejectedQueueCapacity(), config.rejectedMaxDevices(), meters);
    }

    void close(@Disposes RejectedPayloadEvents events) {
        events.close();
    }

    @Scheduled(every = "10s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void flushEndedMinutes() {
        rejections.flush();
    }
}
