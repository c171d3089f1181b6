package dev.mecgw.app.southbound;

import dev.mecgw.app.problem.ErrorKind;
import dev.mecgw.app.problem.GatewayException;
import dev.mecgw.app.telemetry.Reading;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;

/** {@link SouthboundLink} of one running client; silenced when the client is closed. */
final class DeviceLink implements SouthboundLink {

    private final SouthboundDevice device;
    private final SouthboundRuntime runtime;
    private volatile boolean closed;

    DeviceLink(SouthboundDevice device, SouthboundRuntime runtime) {
        this.device = device;
        this.runtime = runtime;
    }

    void close() {
        closed = true;
    }

    @Override
    public String deviceId() {
        return device.id();
    }

    @Override
    public CompletionStage<Void> submit(List<Reading> readings) {
        if (closed) {
            return CompletableFuture.failedFuture(new GatewayException(ErrorKind.UNAVAILABLE, "client closed"));
        }
        return runtime.ingest().submit(readings);
    }

    @Override
    public void online() {
        if (closed) {
            return;
        }
        ConnectionState before = runtime.states().enter(device.id(), ConnectionState.ONLINE, null);
        if (before != ConnectionState.ONLINE) {
            runtime.presence(device, true, null);
        }
    }

    @Override
    public void offline(String error) {
        if (closed) {
            return;
        }
        ConnectionState before = runtime.states().enter(device.id(), ConnectionState.OFFLINE, error);
        if (before != ConnectionState.OFFLINE) {
            runtime.presence(device, false, error);
        }
    }

    @Override
    public void event(String kind, String severity, Map<String, ?> payload) {
        if (!closed) {
            runtime.event(device.id(), kind, severity, payload);
        }
    }

    @Override
    public Executor workers() {
        return runtime.workers();
    }

    @Override
    public ScheduledExecutorService timers() {
        return runtime.timers();
    }

    @Override
    public Backoff backoff() {
        return new Backoff(runtime.config().minBackoff(), runtime.config().maxBackoff());
    }

    @Override
    public Clock clock() {
        return runtime.clock();
    }
}
