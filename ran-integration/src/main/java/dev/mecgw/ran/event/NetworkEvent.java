package dev.mecgw.ran.event;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * Something the network integration wants on the gateway's audit trail (the {@code events} table).
 *
 * @param deviceId the device concerned, or null when none is known (an unknown SIM)
 * @param kind dotted event kind, e.g. {@code ran.identity.sim-mismatch}
 * @param severity {@code info}, {@code warning} or {@code error}
 * @param at when it happened
 * @param payload details; never secrets
 */
public record NetworkEvent(String deviceId, String kind, String severity, Instant at, Map<String, String> payload) {

    /** Rejects a missing kind, severity or time; copies the payload. */
    public NetworkEvent {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(severity, "severity");
        Objects.requireNonNull(at, "at");
        payload = Map.copyOf(payload);
    }
}
