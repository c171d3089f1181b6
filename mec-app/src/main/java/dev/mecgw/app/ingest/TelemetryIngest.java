package dev.mecgw.app.ingest;

import dev.mecgw.app.telemetry.Reading;
import java.util.List;
import java.util.concurrent.CompletionStage;
import org.eclipse.microprofile.reactive.messaging.Emitter;

/**
 * The one way readings enter the gateway, shared by every protocol front-end (MQTT, CoAP).
 *
 * <p>Durability rule: the returned stage completes only after every reading of the call is committed
 * to the local store, so a front-end acknowledges a device (PUBACK, PUBREC, CoAP 2.04) from that stage
 * and an acknowledged reading survives a crash. It fails with a
 * {@link dev.mecgw.app.problem.GatewayException} of kind QUOTA_EXCEEDED when the pipeline is full
 * (the device should retry later) or UNAVAILABLE when the store is down. Non-blocking and thread-safe;
 * the stage completes on a writer thread, so callers must hop back to their own context.
 */
public interface TelemetryIngest {

    /**
     * Queues readings for the next batch.
     *
     * @param readings readings of one device message, not empty
     * @return completes when committed
     */
    CompletionStage<Void> submit(List<Reading> readings);

    /**
     * The ingest the gateway runs: each submission becomes a {@link TelemetryMessage} on {@code channel}, and
     * the returned stage completes when the group-commit writer acknowledges it (after the commit is on disk).
     */
    static TelemetryIngest overChannel(Emitter<TelemetryMessage> channel) {
        return new ChannelTelemetryIngest(channel);
    }
}
