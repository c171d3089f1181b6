package dev.mecgw.app.southbound.iec104;

import java.time.Instant;

/**
 * A decoded monitored value, ready to store.
 *
 * @param metric the mapped metric
 * @param ts the outstation's time tag, or the receive time for types without one (or with an invalid tag)
 * @param value the value: 0/1 for a single point, 0..3 (DPI) for a double point, the number otherwise
 * @param quality the {@link Iec104Quality} flags; 0 means good
 * @param type the ASDU type it came in
 * @param cause the cause of transmission (3 spontaneous, 20 interrogated, ...)
 */
public record Iec104Reading(String metric, Instant ts, double value, int quality, TypeId type, int cause) {

    /** Whether nothing is wrong with the value. */
    public boolean good() {
        return quality == 0;
    }
}
