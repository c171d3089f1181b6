package dev.mecgw.app.events;

import jakarta.enterprise.event.Event;
import java.util.Map;
import org.jboss.logging.Logger;

/**
 * Announces stored event rows as {@link EventRecorded}, for every writer of the {@code events} table (the event
 * log and the inference pipeline's batch writer), so that observers see all of them.
 */
public class EventAnnouncer {

    private static final Logger LOG = Logger.getLogger(EventAnnouncer.class);

    private final Event<EventRecorded> recorded;

    public EventAnnouncer(Event<EventRecorded> recorded) {
        this.recorded = recorded;
    }

    /** Announces one committed row; never throws. See {@link EventRecorded} for the parameters. */
    public void announce(String deviceId, String kind, String severity, Map<String, ?> payload) {
        // Asynchronous: observers (QoS rules, issue 7) may call the network; ingest must not wait for them.
        try {
            recorded.fireAsync(new EventRecorded(deviceId, kind, severity, payload));
        } catch (RuntimeException e) {
            // The row is stored; a rejected hand-off (shutdown) only loses the reaction, not the event.
            LOG.debugf("event %s not announced: %s", kind, e.getMessage());
        }
    }
}
