package dev.mecgw.ran.mec;

import java.net.URI;
import java.util.Objects;

/**
 * The gateway's own service as offered to other MEC applications (MEC 011 {@code ServiceInfo}).
 *
 * @param serName service name, e.g. {@code mecgw-telemetry}
 * @param version service version
 * @param endpoint REST endpoint other applications call
 */
public record MecServiceRegistration(String serName, String version, URI endpoint) {

    /** Rejects missing fields. */
    public MecServiceRegistration {
        Objects.requireNonNull(serName, "serName");
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(endpoint, "endpoint");
    }
}
