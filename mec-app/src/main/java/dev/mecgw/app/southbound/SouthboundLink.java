package dev.mecgw.app.southbound;

import dev.mecgw.app.telemetry.Reading;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;

/**
 * What a {@link SouthboundClient} uses of the gateway, for one device. Thread-safe and non-blocking; after the client
 * is closed every call is ignored.
 */
public interface SouthboundLink {

    /** @return the device's id */
    String deviceId();

    /**
     * Hands readings to the same ingest path as MQTT and CoAP telemetry ({@link dev.mecgw.app.ingest.TelemetryIngest}:
     * group commit, inference, rollups, sync, console).
     *
     * @param readings readings of this device, not empty
     * @return completes once they are committed to disk (protocols with acknowledgements confirm from here); fails
     *     QUOTA_EXCEEDED when the pipeline is full or UNAVAILABLE when the store is down
     */
    CompletionStage<Void> submit(List<Reading> readings);

    /** The device answers: state {@code online}; the first time after being offline marks it online and records an event. */
    void online();

    /**
     * A connection attempt or request failed: state {@code offline} with the error; the first failure after being
     * online marks the device offline and records a {@code southbound.offline} event.
     *
     * @param error a client-safe description (no secrets)
     */
    void offline(String error);

    /**
     * Records an operator event for this device (blocking store work happens elsewhere).
     *
     * @param kind e.g. {@code southbound.frame-rejected}
     * @param severity {@code info}, {@code warning} or {@code alarm}
     * @param payload details; no secrets
     */
    void event(String kind, String severity, Map<String, ?> payload);

    /** @return the bounded pool for decoding and other CPU work off the network threads (shared by all clients) */
    Executor workers();

    /** @return the shared timer thread; schedule only short, non-blocking tasks on it */
    ScheduledExecutorService timers();

    /** @return a fresh reconnect backoff with the configured bounds */
    Backoff backoff();

    /** @return the gateway's clock for reading timestamps */
    Clock clock();
}
