package dev.mecgw.app.events.app;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mecgw.app.events.Alarms;
import dev.mecgw.app.events.EventAnnouncer;
import dev.mecgw.app.events.EventLog;
import dev.mecgw.app.events.EventRecorded;
import dev.mecgw.app.events.EventsConfig;
import dev.mecgw.app.events.PostgresEventLog;
import dev.mecgw.app.events.RejectedPayloadEvents;
import dev.mecgw.app.gateway.LifecyclePhase;
import dev.mecgw.app.gateway.PhaseGate;
import dev.mecgw.app.gateway.StopDeadline;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.scheduler.Scheduled;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Inject;
import java.time.Clock;
import javax.sql.DataSource;

/**
 * Builds the operator event log, the alarm handling on it (issue 19), the announcer that tells live views about new events, and the rejected-payload
 * aggregator (issue 14 item 10), whose ended minutes are flushed every {@code mecgw.events.rejected-flush-interval}
 * (10 s) and the rest in the WRITERS phase of the shutdown.
 */
@ApplicationScoped
public class EventProducers {

    @Inject
    RejectedPayloadEvents rejections;

    private final PhaseGate gate;

    EventProducers(StopDeadline stop) {
        this.gate = new PhaseGate("rejected-payload flush", stop);
    }

    @Produces
    @ApplicationScoped
    EventAnnouncer eventAnnouncer(Event<EventRecorded> recorded) {
        return new EventAnnouncer(recorded);
    }

    @Produces
    @ApplicationScoped
    PostgresEventLog eventLog(DataSource dataSource, ObjectMapper json, EventAnnouncer announcer) {
        return new PostgresEventLog(dataSource, json, announcer);
    }

    @Produces
    @ApplicationScoped
    Alarms alarms(DataSource dataSource, ObjectMapper json, EventAnnouncer announcer) {
        return new Alarms(dataSource, json, announcer, Clock.systemUTC());
    }

    @Produces
    @ApplicationScoped
    RejectedPayloadEvents rejectedPayloadEvents(EventLog events, EventsConfig config, MeterRegistry meters) {
        return new RejectedPayloadEvents(
                events, Clock.systemUTC(), config.rejectedQueueCapacity(), config.rejectedMaxDevices(), meters);
    }

    // With the writers: after the front-ends and the ingest's throttle stopped counting, before the store closes (a
    // disposer would run after it closed, and lose the last minutes). The gate waits for a flush in flight; the close
    // then writes the rest.
    void onStop(@Observes @Priority(LifecyclePhase.Order.WRITERS_STOP) ShutdownEvent event) {
        gate.close();
        rejections.close();
    }

    // A no-op once closed.
    @Scheduled(
            every = "${mecgw.events.rejected-flush-interval}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void flushEndedMinutes() {
        gate.run(rejections::flush);
    }
}
