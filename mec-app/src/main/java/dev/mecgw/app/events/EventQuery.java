package dev.mecgw.app.events;

import java.time.Instant;
import java.util.Optional;
import java.util.Set;

/**
 * A filter over the event log, newest first (issue 19). Build it from request parameters with {@link EventFilter}.
 *
 * @param severities the severities to list; empty lists all
 * @param state active (alarming, not cleared), cleared, or any
 * @param acknowledged only acknowledged (true) or only unacknowledged (false) events; empty lists both
 * @param deviceId only this device's events
 * @param kind only events whose kind is this or starts with it and a dot ({@code rollout} matches
 *     {@code rollout.transition})
 * @param since only events at or after this instant
 * @param until only events before this instant
 * @param beforeId only events with a smaller id: the cursor of the next page
 * @param limit most events returned, 1 to {@link #MAX_LIMIT}
 */
public record EventQuery(
        Set<String> severities,
        State state,
        Optional<Boolean> acknowledged,
        Optional<String> deviceId,
        Optional<String> kind,
        Optional<Instant> since,
        Optional<Instant> until,
        Optional<Long> beforeId,
        int limit) {

    /** Most events one query returns. */
    public static final int MAX_LIMIT = 500;

    /** Where an event stands in its alarm life. */
    public enum State {
        /** A warning or alarm that no one has cleared. */
        ACTIVE,
        /** A warning or alarm an operator cleared. */
        CLEARED,
        /** Any event, info included. */
        ANY
    }

    public EventQuery {
        severities = Set.copyOf(severities);
    }
}
