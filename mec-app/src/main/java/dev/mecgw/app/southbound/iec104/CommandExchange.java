package dev.mecgw.app.southbound.iec104;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * Commands in flight on one connection: select-before-operate and the confirmations of IEC 60870-5-101 clause
 * 7.3.2 / 104 clause 8: an activation (COT 6) is answered by an activation confirmation (COT 7, P/N bit set when
 * refused). A select that is confirmed is followed by the execute; the command is done when the execute is
 * confirmed. One command per IOA at a time. Runs on the connection's thread.
 */
final class CommandExchange {

    private final int commonAddress;
    private final AsduCodec codec;
    private final Consumer<byte[]> send;
    private final LinkTimers timers;
    private final Duration timeout;
    private final Map<Integer, Pending> pending = new HashMap<>();

    CommandExchange(int commonAddress, AsduCodec codec, Consumer<byte[]> send, LinkTimers timers, Duration timeout) {
        this.commonAddress = commonAddress;
        this.codec = codec;
        this.send = send;
        this.timers = timers;
        this.timeout = timeout;
    }

    CompletableFuture<Void> start(Iec104Command command, double value) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        if (pending.containsKey(command.ioa())) {
            done.completeExceptionally(
                    new Iec104CommandException("a command to IOA " + command.ioa() + " is in flight"));
            return done;
        }
        Pending p = new Pending(command, value, done);
        pending.put(command.ioa(), p);
        p.timer = timers.schedule(timeout, () -> fail(p, "no confirmation within " + timeout.toMillis() + " ms"));
        try {
            activate(p, command.selectBeforeOperate());
        } catch (Iec104CommandException e) {
            fail(p, e.getMessage());
        }
        return done;
    }

    /** Takes a control-direction ASDU the outstation mirrored; false when it answers no pending command. */
    boolean onConfirmation(Asdu asdu) {
        InformationObject o = asdu.objects().get(0);
        Pending p = pending.get(o.ioa());
        if (p == null || p.command.type() != asdu.type()) {
            return false;
        }
        if (asdu.cause() == Cot.ACTIVATION_TERMINATION) {
            return true;
        }
        if (asdu.cause() != Cot.ACTIVATION_CON) {
            fail(p, "outstation answered with cause " + asdu.cause());
            return true;
        }
        if (asdu.negative()) {
            fail(p, "outstation refused the " + (p.selecting ? "select" : "execute"));
            return true;
        }
        if (p.selecting) {
            try {
                activate(p, false);
            } catch (Iec104CommandException e) {
                fail(p, e.getMessage());
            }
        } else {
            finish(p);
            p.done.complete(null);
        }
        return true;
    }

    /** Fails every command in flight: the connection is gone. */
    void abort(String reason) {
        for (Pending p : List.copyOf(pending.values())) {
            fail(p, reason);
        }
    }

    private void activate(Pending p, boolean select) {
        p.selecting = select;
        InformationObject o =
                new InformationObject(p.command.ioa(), p.value, select ? InformationObject.SELECT : 0, null);
        send.accept(codec.encode(Asdu.of(p.command.type(), Cot.ACTIVATION, commonAddress, List.of(o))));
    }

    private void fail(Pending p, String reason) {
        finish(p);
        p.done.completeExceptionally(new Iec104CommandException(reason));
    }

    private void finish(Pending p) {
        pending.remove(p.command.ioa(), p);
        p.timer.run();
    }

    private static final class Pending {
        final Iec104Command command;
        final double value;
        final CompletableFuture<Void> done;
        Runnable timer = () -> {};
        boolean selecting;

        Pending(Iec104Command command, double value, CompletableFuture<Void> done) {
            this.command = command;
            this.value = value;
            this.done = done;
        }
    }
}
