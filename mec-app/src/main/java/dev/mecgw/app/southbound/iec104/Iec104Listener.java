package dev.mecgw.app.southbound.iec104;

import java.util.List;
import java.util.concurrent.CompletionStage;

/** What an {@link Iec104Station} reports. Called on the station's event loop: do not block. */
public interface Iec104Listener {

    /**
     * Decoded readings of one ASDU of the device, in wire order.
     *
     * @return completes when they are durable; only then is the ASDU acknowledged to the outstation. Stages should
     *     complete in the order they were returned (the gateway's single group-commit writer does).
     */
    CompletionStage<Void> onReadings(String deviceId, List<Iec104Reading> readings);

    /**
     * The connection changed state.
     *
     * @param reason why (the peer closed, t1 expired, a malformed frame), or null when it came up
     */
    void onState(String deviceId, Iec104Station.State state, String reason);
}
