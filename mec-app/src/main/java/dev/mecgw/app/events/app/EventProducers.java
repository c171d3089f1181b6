package dev.mecgw.app.events.app;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mecgw.app.events.EventAnnouncer;
import dev.mecgw.app.events.EventRecorded;
import dev.mecgw.app.events.PostgresEventLog;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.enterprise.inject.Produces;
import javax.sql.DataSource;

/** Builds the operator event log and the announcer that tells live views about new events. */
@ApplicationScoped
public class EventProducers {

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
}
