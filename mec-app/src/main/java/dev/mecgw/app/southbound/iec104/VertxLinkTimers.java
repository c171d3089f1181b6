package dev.mecgw.app.southbound.iec104;

import io.vertx.core.Vertx;
import java.time.Duration;

/** {@link LinkTimers} on Vert.x timers: scheduled from a connection's context, they fire on it. */
final class VertxLinkTimers implements LinkTimers {

    private final Vertx vertx;

    VertxLinkTimers(Vertx vertx) {
        this.vertx = vertx;
    }

    @Override
    public long nowMillis() {
        return System.nanoTime() / 1_000_000;
    }

    @Override
    public Runnable schedule(Duration delay, Runnable task) {
        long id = vertx.setTimer(Math.max(1, delay.toMillis()), ignored -> task.run());
        return () -> vertx.cancelTimer(id);
    }
}
