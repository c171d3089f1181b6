package dev.mecgw.app.console;

import dev.mecgw.app.events.EventLog;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Records what console users do in the replicated event log: every operator action is an event of kind
 * {@code console.<action>} whose payload names the user and role (issue 19). Blocking (one insert).
 */
public final class ConsoleEvents {

    private final EventLog events;

    public ConsoleEvents(EventLog events) {
        this.events = events;
    }

    /**
     * Records one action.
     *
     * @param user who did it; its name and role go into the payload as {@code user} and {@code role}
     * @param action short dotted name, e.g. {@code command.sent}; the event kind is {@code console.<action>}
     * @param deviceId the device concerned, or null for a site-wide action
     * @param details more payload fields; must not contain secrets
     */
    public void record(ConsoleUser user, String action, String deviceId, Map<String, ?> details) {
        Map<String, Object> payload = new LinkedHashMap<>(details);
        payload.put("user", user.name());
        payload.put("role", user.role().value());
        events.record(deviceId, "console." + action, "info", payload);
    }

    /** Records a security event (login refused, throttled) where no user is logged in yet. */
    void security(String action, String severity, Map<String, ?> details) {
        events.record(null, "console." + action, severity, details);
    }
}
