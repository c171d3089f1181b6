package dev.mecgw.app.ran;

import java.net.URI;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Where the NEF and the MEC platform reach our callbacks: {@code mecgw.ran.callback-base-url} when set,
 * else {@code http://127.0.0.1:<http port>/ran/callbacks} once the HTTP port is bound. Thread-safe.
 */
public final class CallbackBase implements Supplier<URI> {

    private final Optional<URI> configured;
    private volatile int port;

    /** @param configured {@code mecgw.ran.callback-base-url}, if set */
    public CallbackBase(Optional<URI> configured) {
        this.configured = configured;
    }

    /** Our HTTP server listens on {@code port}; 0 when the port is random and not published to us. */
    void portBound(int port) {
        this.port = port;
    }

    /** Whether the network could call us back: a configured base, or a known port. */
    boolean known() {
        return configured.isPresent() || port > 0;
    }

    @Override
    public URI get() {
        return configured.orElseGet(() -> URI.create("http://127.0.0.1:" + port + "/ran/callbacks"));
    }
}
