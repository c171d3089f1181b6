package dev.mecgw.app.console.devices;

import java.util.List;
import java.util.Locale;

/**
 * The device list's filter as the form sends it; blank fields do not filter. Values are bound as parameters, never
 * written into the SQL.
 *
 * @param type exact device type
 * @param label one {@code key=value} label; anything without '=' does not filter
 * @param online {@code true}, {@code false} or blank for both
 * @param sst the slice/service type, or blank
 * @param firmware the exact firmware version the device reported, or blank
 */
record DeviceListFilter(String type, String label, String online, String sst, String firmware) {

    DeviceListFilter {
        type = strip(type);
        label = strip(label);
        online = strip(online).toLowerCase(Locale.ROOT);
        sst = strip(sst);
        firmware = strip(firmware);
    }

    /** Whether the filter reads the twin (the firmware version). */
    boolean needsTwin() {
        return !firmware.isEmpty();
    }

    /**
     * The WHERE clause over {@code devices d} (and {@code device_twins t} when {@link #needsTwin()}), blank when
     * nothing filters; its arguments are appended to {@code args} in order.
     *
     * @throws IllegalArgumentException when {@code sst} is not a number from 0 to 255
     */
    String where(List<Object> args) {
        StringBuilder where = new StringBuilder();
        if (!type.isEmpty()) {
            clause(where, "d.type = ?");
            args.add(type);
        }
        int eq = label.indexOf('=');
        if (eq > 0) {
            // Containment uses the GIN index devices_labels_idx.
            clause(where, "d.labels @> jsonb_build_object(?::text, ?::text)");
            args.add(label.substring(0, eq).strip());
            args.add(label.substring(eq + 1).strip());
        }
        if (online.equals("true") || online.equals("false")) {
            clause(where, "d.online = ?");
            args.add(Boolean.parseBoolean(online));
        }
        if (!sst.isEmpty()) {
            clause(where, "d.slice_sst = ?");
            args.add(sliceType());
        }
        if (!firmware.isEmpty()) {
            clause(where, "t.reported #>> '{firmware,version}' = ?");
            args.add(firmware);
        }
        return where.toString();
    }

    private short sliceType() {
        try {
            int value = Integer.parseInt(sst);
            if (value >= 0 && value <= 255) {
                return (short) value;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw new IllegalArgumentException("sst: a slice/service type from 0 to 255");
    }

    private static void clause(StringBuilder where, String condition) {
        where.append(where.length() == 0 ? " WHERE " : " AND ").append(condition);
    }

    private static String strip(String value) {
        return value == null ? "" : value.strip();
    }
}
