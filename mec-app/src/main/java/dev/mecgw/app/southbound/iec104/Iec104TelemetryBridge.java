package dev.mecgw.app.southbound.iec104;

import dev.mecgw.app.ingest.TelemetryIngest;
import dev.mecgw.app.telemetry.Reading;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;

/**
 * Puts a station's readings on the gateway's one telemetry path ({@link TelemetryIngest}), so they are stored,
 * rolled up, synced and shown like MQTT/CoAP readings. Quality flags travel with each reading; the returned stage
 * completes after the commit, which is when the link acknowledges the ASDU to the outstation.
 */
public final class Iec104TelemetryBridge implements Iec104Listener {

    /** A connection state change of a device, for the registry's southbound connection state. */
    public record StateChange(String deviceId, Iec104Station.State state, String reason) {}

    private final TelemetryIngest ingest;
    private final Consumer<StateChange> states;

    /**
     * @param ingest where readings go
     * @param states receives connection state changes (on the station's event loop: do not block)
     */
    public Iec104TelemetryBridge(TelemetryIngest ingest, Consumer<StateChange> states) {
        this.ingest = ingest;
        this.states = states;
    }

    @Override
    public CompletionStage<Void> onReadings(String deviceId, List<Iec104Reading> readings) {
        return ingest.submit(toReadings(deviceId, readings));
    }

    @Override
    public void onState(String deviceId, Iec104Station.State state, String reason) {
        states.accept(new StateChange(deviceId, state, reason));
    }

    /** Gateway readings of a device's decoded IEC 104 readings: single points are booleans, counters sums. */
    static List<Reading> toReadings(String deviceId, List<Iec104Reading> readings) {
        List<Reading> out = new ArrayList<>(readings.size());
        for (Iec104Reading r : readings) {
            Reading.Kind kind = switch (r.type()) {
                case M_SP_NA_1, M_SP_TB_1 -> Reading.Kind.BOOLEAN;
                case M_IT_NA_1, M_IT_TB_1 -> Reading.Kind.SUM;
                default -> Reading.Kind.NUMBER;
            };
            out.add(new Reading(deviceId, r.metric(), r.ts(), r.value(), null, kind, r.quality()));
        }
        return out;
    }
}
