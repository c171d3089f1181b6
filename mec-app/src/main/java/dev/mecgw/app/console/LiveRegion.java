package dev.mecgw.app.console;

import java.util.function.Supplier;

/**
 * What one kind of live region does with its streams ({@link LiveStreams#open}). Every method may block (JDBC):
 * {@link #refresh} runs on the live workers, {@link #opened} on the request's worker.
 */
public interface LiveRegion {

    /** Called once when the stream opens, before its first refresh. */
    default void opened(LiveStream stream) {}

    /** Called at once and then every period while the session lasts: render and send what changed. */
    default void refresh(LiveStream stream) {}

    /** Called once when the stream ends for any reason (client gone, logout, expiry, shutdown). */
    default void closed(LiveStream stream) {}

    /**
     * A region of one event that its page showed with the fingerprint {@code shown} ({@link LiveStream#shown}):
     * every refresh renders it and sends it when it differs from what the page or the last event showed.
     */
    static LiveRegion showing(String event, String shown, Supplier<String> render) {
        return new LiveRegion() {
            @Override
            public void opened(LiveStream stream) {
                stream.shown(event, shown);
            }

            @Override
            public void refresh(LiveStream stream) {
                stream.sendIfChanged(event, render.get());
            }
        };
    }
}
