package dev.mecgw.app.southbound.iec104;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * One connection to one outstation, above the APCI: the general interrogation once STARTDT is confirmed (clause
 * 7.4.2 of 104: a controlling station interrogates after a connection, since spontaneous data sent while it was
 * away is lost), monitored ASDUs mapped to readings through the device's IOA map, and commands. Runs on the
 * connection's thread.
 */
final class Iec104Session implements ApciLink.Listener {

    /** QOI 20: station interrogation (global). */
    static final int QOI_STATION = 20;

    private final Iec104Device device;
    private final AsduCodec codec;
    private final Iec104Listener listener;
    private final Clock clock;
    private final Map<Integer, String> metrics = new HashMap<>();
    private static final CompletableFuture<Void> DONE = CompletableFuture.completedFuture(null);

    private CompletableFuture<Void> tail = DONE;
    private ApciLink link;
    private java.util.concurrent.Executor context;
    private CommandExchange commands;
    private long unmapped;
    private long unknownTypes;

    Iec104Session(Iec104Device device, Iec104Listener listener, Clock clock) {
        this.device = device;
        this.codec = new AsduCodec(device.zone());
        this.listener = listener;
        this.clock = clock;
        for (Iec104Point p : device.points()) {
            metrics.put(p.ioa(), p.metric());
        }
    }

    void attach(ApciLink link, LinkTimers timers, Duration commandTimeout, java.util.concurrent.Executor context) {
        this.link = link;
        this.context = context;
        this.commands = new CommandExchange(device.commonAddress(), codec, this::send, timers, commandTimeout);
    }

    @Override
    public void onStarted() {
        listener.onState(device.deviceId(), Iec104Station.State.ONLINE, null);
        interrogate();
    }

    /** Sends C_IC_NA_1 act for the whole station. */
    void interrogate() {
        send(codec.encode(Asdu.of(
                TypeId.C_IC_NA_1,
                Cot.ACTIVATION,
                device.commonAddress(),
                List.of(new InformationObject(0, QOI_STATION, 0, null)))));
    }

    /** Sends C_CS_NA_1 act with the current time. */
    void synchronizeClock() {
        send(codec.encode(Asdu.of(
                TypeId.C_CS_NA_1,
                Cot.ACTIVATION,
                device.commonAddress(),
                List.of(new InformationObject(0, 0, 0, Cp56Time.of(clock.instant()))))));
    }

    CompletableFuture<Void> command(Iec104Command command, double value) {
        if (link == null || !link.started()) {
            return CompletableFuture.failedFuture(new Iec104CommandException("device not connected"));
        }
        return commands.start(command, value);
    }

    void closed(String reason) {
        if (commands != null) {
            commands.abort("connection lost: " + reason);
        }
    }

    @Override
    public void onAsdu(byte[] octets) {
        Asdu asdu;
        try {
            asdu = codec.decode(octets);
        } catch (AsduCodec.UnknownTypeException e) {
            // A type this station does not use (e.g. step positions) is no reason to lose the connection.
            unknownTypes++;
            releaseAfter(DONE);
            return;
        } catch (Iec104FrameException e) {
            link.close("malformed ASDU: " + e.getMessage());
            return;
        }
        if (asdu.type().monitoring() && asdu.commonAddress() == device.commonAddress()) {
            List<Iec104Reading> readings = readings(asdu);
            if (!readings.isEmpty()) {
                releaseAfter(listener.onReadings(device.deviceId(), readings).toCompletableFuture());
                return;
            }
        }
        releaseAfter(DONE);
        if (asdu.commonAddress() != device.commonAddress() || asdu.type().monitoring()) {
            return;
        }
        if (asdu.type() == TypeId.C_SC_NA_1 || asdu.type() == TypeId.C_DC_NA_1 || asdu.type() == TypeId.C_SE_NC_1) {
            commands.onConfirmation(asdu);
        } else if (asdu.type() == TypeId.M_EI_NA_1) {
            // The outstation restarted behind a live connection: its spontaneous buffer is gone, ask again.
            interrogate();
        }
        // C_IC/C_CS confirmations and M_EI need no action: data follows on its own.
    }

    /**
     * Releases the ASDU for acknowledgement once it and every ASDU before it are stored: the link counts releases,
     * so they must come in order even when the ingest's writers commit batches out of order.
     */
    private void releaseAfter(CompletableFuture<Void> stored) {
        CompletableFuture<Void> inOrder = tail.thenCombine(stored, (a, b) -> null);
        tail = inOrder;
        ApciLink current = link;
        if (inOrder.isDone() && !inOrder.isCompletedExceptionally()) {
            current.release();
            return;
        }
        // The stage completes on a writer thread; the link is only touched on its own context.
        inOrder.whenComplete((ok, e) -> context.execute(() -> {
            if (e != null) {
                current.close("readings not stored: " + e.getMessage());
            } else {
                current.release();
            }
        }));
    }

    private List<Iec104Reading> readings(Asdu asdu) {
        List<Iec104Reading> out = new ArrayList<>(asdu.objects().size());
        for (InformationObject o : asdu.objects()) {
            String metric = metrics.get(o.ioa());
            if (metric == null) {
                unmapped++;
                continue;
            }
            int quality = Iec104Quality.of(asdu.type(), o);
            boolean trustTime = o.time() != null && !o.time().invalid();
            out.add(new Iec104Reading(
                    metric,
                    trustTime ? o.time().instant() : clock.instant(),
                    o.value(),
                    quality,
                    asdu.type(),
                    asdu.cause()));
        }
        return out;
    }

    private void send(byte[] asdu) {
        if (!link.send(asdu)) {
            throw new Iec104CommandException("send queue full or connection closed");
        }
    }

    /** Objects received for IOAs the device does not map. */
    long unmapped() {
        return unmapped;
    }

    /** ASDUs of types this station does not understand. */
    long unknownTypes() {
        return unknownTypes;
    }
}
