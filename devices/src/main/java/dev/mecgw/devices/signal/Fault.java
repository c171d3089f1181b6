package dev.mecgw.devices.signal;

import java.time.Instant;
import java.util.Locale;

/**
 * A sensor fault injected from an instant on.
 *
 * @param kind what the sensor does wrong
 * @param from first instant the fault shows; {@link Instant#MAX} never
 * @param magnitude size of the fault in the signal's unit (offset, spike height, stuck offset, noise sigma)
 */
public record Fault(Kind kind, Instant from, double magnitude) {

    /** No fault. */
    public static final Fault NONE = new Fault(Kind.OFFSET, Instant.MAX, 0);

    /** Kinds of fault, named as an operator would describe the sensor. */
    public enum Kind {
        /** Readings shifted by a constant (a drifted or mis-calibrated sensor). */
        OFFSET,
        /** Readings jump up or down by the magnitude (a loose contact). */
        SPIKES,
        /** The reading freezes at one value (a hung sensor). */
        STUCK,
        /** Much more noise (a failing amplifier). */
        NOISE;

        /** Parses a kind case-insensitively, e.g. {@code offset}. */
        public static Kind parse(String text) {
            try {
                return valueOf(text.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("fault kind must be one of offset, spikes, stuck, noise: " + text);
            }
        }
    }

    /** Whether the fault shows at that instant. */
    public boolean activeAt(Instant now) {
        return !now.isBefore(from);
    }
}
