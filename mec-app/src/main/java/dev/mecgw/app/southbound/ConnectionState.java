package dev.mecgw.app.southbound;

import java.util.Locale;

/** Where a southbound device's connection stands, as {@code GET /api/v1/devices/{id}} shows it. */
public enum ConnectionState {
    /** The client started and has not reached the device yet. */
    CONNECTING,
    /** The last request or connection succeeded. */
    ONLINE,
    /** The last attempt failed; the client retries after a backoff. */
    OFFLINE;

    /** The lower-case name shown by the API. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
