package dev.mecgw.app.southbound.iec104;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.net.NetSocket;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The controlling station for one outstation (IEC 60870-5-104), the area's entry: connects over a Vert.x
 * {@link NetClient}, starts data transfer, interrogates, turns monitored data into readings for the
 * {@link Iec104Listener}, sends commands, and reconnects with exponential back-off whenever the connection is lost,
 * refused, times out (t1) or carries a malformed frame. Everything runs on one Vert.x context; public methods may be
 * called from any thread.
 */
public final class Iec104Station implements AutoCloseable {

    /** Connection state, as the registry shows it. */
    public enum State {
        CONNECTING,
        ONLINE,
        OFFLINE,
        STOPPED
    }

    private final Vertx vertx;
    private final Context context;
    private final NetClient client;
    private final Iec104Device device;
    private final Iec104Listener listener;
    private final Iec104Options options;
    private final Clock clock;
    private final LinkTimers timers;
    private final Map<String, Iec104Command> commands;
    private Iec104Session session;
    private NetSocket socket;
    private Duration backoff;
    private long reconnectTimer = -1;
    private volatile boolean stopped;
    private volatile State state = State.OFFLINE;

    public Iec104Station(
            Vertx vertx, Iec104Device device, Iec104Listener listener, Iec104Options options, Clock clock) {
        this.vertx = vertx;
        this.context = vertx.getOrCreateContext();
        this.client = vertx.createNetClient(new NetClientOptions()
                .setConnectTimeout((int) options.connectTimeout().toMillis())
                .setTcpNoDelay(true));
        this.device = device;
        this.listener = listener;
        this.options = options;
        this.clock = clock;
        this.timers = new VertxLinkTimers(vertx);
        this.commands = device.commands().stream().collect(Collectors.toMap(Iec104Command::name, Function.identity()));
        this.backoff = options.backoffMin();
    }

    /** Starts connecting; returns at once. */
    public void start() {
        context.runOnContext(v -> connect());
    }

    /** The device this station serves. */
    public Iec104Device device() {
        return device;
    }

    /** The connection state now. */
    public State state() {
        return state;
    }

    /**
     * Sends a named command (select first when the command says so) and completes when the outstation confirmed the
     * execute.
     *
     * @param value 0/1 for C_SC, 1 (off) / 2 (on) for C_DC, the set point for C_SE
     * @return fails with {@link Iec104CommandException} on a negative confirmation, time-out or lost connection,
     *     with {@link IllegalArgumentException} for an unknown name
     */
    public CompletionStage<Void> command(String name, double value) {
        Iec104Command command = commands.get(name);
        if (command == null) {
            return CompletableFuture.failedFuture(new IllegalArgumentException("unknown command " + name));
        }
        CompletableFuture<Void> result = new CompletableFuture<>();
        context.runOnContext(v -> {
            if (session == null) {
                result.completeExceptionally(new Iec104CommandException("device not connected"));
                return;
            }
            session.command(command, value).whenComplete((ok, e) -> {
                if (e != null) {
                    result.completeExceptionally(e);
                } else {
                    result.complete(null);
                }
            });
        });
        return result;
    }

    /** Sends a general interrogation now (when connected). */
    public void interrogate() {
        context.runOnContext(v -> {
            if (session != null) {
                session.interrogate();
            }
        });
    }

    /** Sends a clock synchronization now (when connected). */
    public void synchronizeClock() {
        context.runOnContext(v -> {
            if (session != null) {
                session.synchronizeClock();
            }
        });
    }

    @Override
    public void close() {
        stopped = true;
        context.runOnContext(v -> {
            vertx.cancelTimer(reconnectTimer);
            if (socket != null) {
                socket.close();
            }
            client.close();
            setState(State.STOPPED, "stopped");
        });
    }

    private void connect() {
        if (stopped) {
            return;
        }
        setState(State.CONNECTING, null);
        client.connect(device.port(), device.host()).onComplete(ar -> {
            if (ar.failed()) {
                lost("connect failed: " + ar.cause().getMessage());
            } else if (stopped) {
                ar.result().close();
            } else {
                attach(ar.result());
            }
        });
    }

    private void attach(NetSocket socket) {
        this.socket = socket;
        Iec104Session s = new Iec104Session(
                device,
                new Iec104Listener() {
                    @Override
                    public java.util.concurrent.CompletionStage<Void> onReadings(
                            String deviceId, java.util.List<Iec104Reading> readings) {
                        return listener.onReadings(deviceId, readings);
                    }

                    @Override
                    public void onState(String deviceId, State newState, String reason) {
                        // STARTDT confirmed: the outstation answers, so the next loss starts the back-off afresh.
                        backoff = options.backoffMin();
                        setState(newState, reason);
                    }
                },
                clock);
        String[] closeReason = {null};
        ApciLink link = new ApciLink(
                options.timing(),
                timers,
                new ApciLink.Transport() {
                    @Override
                    public void write(byte[] frame) {
                        socket.write(io.vertx.core.buffer.Buffer.buffer(frame));
                    }

                    @Override
                    public void close(String reason) {
                        closeReason[0] = reason;
                        socket.close();
                    }
                },
                s,
                options.maxQueuedBytes());
        s.attach(link, timers, options.commandTimeout(), task -> context.runOnContext(v -> task.run()));
        ApduFramer framer = new ApduFramer(link::receive);
        socket.handler(buffer -> {
            try {
                framer.feed(buffer.getBytes());
            } catch (Iec104FrameException e) {
                link.close("malformed stream: " + e.getMessage());
            } catch (RuntimeException e) {
                link.close("internal error: " + e);
            }
        });
        socket.closeHandler(v -> {
            link.close("connection closed by peer");
            String reason = closeReason[0] != null ? closeReason[0] : "connection closed by peer";
            s.closed(reason);
            if (this.socket == socket) {
                this.socket = null;
                this.session = null;
            }
            lost(reason);
        });
        this.session = s;
        link.start();
    }

    private void lost(String reason) {
        if (stopped) {
            return;
        }
        setState(State.OFFLINE, reason);
        // ±20 % jitter: a site's outstations that lost one switch together do not all reconnect in the same tick.
        long delay = (long) (backoff.toMillis()
                * (0.8 + 0.4 * java.util.concurrent.ThreadLocalRandom.current().nextDouble()));
        backoff = backoff.multipliedBy(2).compareTo(options.backoffMax()) > 0
                ? options.backoffMax()
                : backoff.multipliedBy(2);
        reconnectTimer = vertx.setTimer(Math.max(1, delay), id -> connect());
    }

    private void setState(State next, String reason) {
        state = next;
        listener.onState(device.deviceId(), next, reason);
    }
}
