package dev.mecgw.app.console;

import java.util.function.Consumer;

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

    /** A region that only refreshes. */
    static LiveRegion refreshing(Consumer<LiveStream> refresh) {
        return new LiveRegion() {
            @Override
            public void refresh(LiveStream stream) {
                refresh.accept(stream);
            }
        };
    }
}
