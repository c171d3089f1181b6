package dev.mecgw.ran.identity;

/**
 * A network slice (TS 29.571 {@code Snssai}).
 *
 * @param sst slice/service type 0..255
 * @param sd slice differentiator, 6 hex digits in lower case, or null
 */
public record Snssai(int sst, String sd) {

    /** Checks the ranges and normalises {@code sd} to lower case. */
    public Snssai {
        if (sst < 0 || sst > 255) {
            throw new IllegalArgumentException("sst must be 0..255");
        }
        if (sd != null && !sd.matches("[0-9A-Fa-f]{6}")) {
            throw new IllegalArgumentException("sd must be 6 hexadecimal digits");
        }
        sd = sd == null ? null : sd.toLowerCase(java.util.Locale.ROOT);
    }

    /** Parses {@code <sst>} or {@code <sst>:<sd>}, e.g. {@code 1:000001}. */
    public static Snssai parse(String text) {
        String[] parts = text.trim().split(":", 2);
        return new Snssai(Integer.parseInt(parts[0]), parts.length == 2 ? parts[1] : null);
    }

    @Override
    public String toString() {
        return sd == null ? Integer.toString(sst) : sst + ":" + sd;
    }
}
