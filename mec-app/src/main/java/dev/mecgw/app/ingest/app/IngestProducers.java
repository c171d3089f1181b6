package dev.mecgw.app.ingest.app;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mecgw.app.events.RejectedPayloadEvents;
import dev.mecgw.app.gateway.LifecyclePhase;
import dev.mecgw.app.ingest.CommittedTelemetryListener;
import dev.mecgw.app.ingest.GroupCommitWriter;
import dev.mecgw.app.ingest.IngestConfig;
import dev.mecgw.app.ingest.TelemetryChannels;
import dev.mecgw.app.ingest.TelemetryIngest;
import dev.mecgw.app.ingest.TelemetryMessage;
import dev.mecgw.app.ingest.TelemetryPayloadParser;
import dev.mecgw.app.telemetry.Reading;
import dev.mecgw.app.telemetry.TelemetryStore;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Emitter;
import org.eclipse.microprofile.reactive.messaging.OnOverflow;

/**
 * Wires the ingest pipeline: front-ends send into the {@link TelemetryChannels#INGEST} channel,
 * {@link TelemetryChannelSink} hands its messages to the group-commit writer, and the writer publishes committed
 * batches on {@link TelemetryChannels#COMMITTED}. On shutdown the writer drains its queue while the database is
 * still up (the embedded server stops in a later shutdown observer).
 */
@ApplicationScoped
public class IngestProducers {

    private volatile GroupCommitWriter writer;

    // Singletons, not application-scoped: front-ends and the sink call these for every device message, and a
    // client proxy would add a context lookup to each call for laziness nobody needs.
    @Produces
    @Singleton
    TelemetryIngest telemetryIngest(
            // The sink only enqueues and returns, so nothing accumulates here; the writer's bounded queue
            // (mecgw.ingest.queue-capacity) is where a full pipeline refuses messages, by negative acknowledgement.
            @Channel(TelemetryChannels.INGEST) @OnOverflow(OnOverflow.Strategy.UNBOUNDED_BUFFER)
                    Emitter<TelemetryMessage> channel) {
        return TelemetryIngest.overChannel(channel);
    }

    @Produces
    @Singleton
    GroupCommitWriter groupCommitWriter(
            TelemetryStore store,
            IngestConfig config,
            MeterRegistry meters,
            RejectedPayloadEvents rejections,
            // Best effort for consumers: a batch nobody can take now is dropped rather than buffered on the heap.
            @Channel(TelemetryChannels.COMMITTED) @OnOverflow(OnOverflow.Strategy.DROP)
                    Emitter<List<Reading>> committed,
            // In-process observers beside the channel (the console's live readings, issue 19).
            Instance<CommittedTelemetryListener> observers) {
        CommittedTelemetryListener publisher = committed::send;
        List<CommittedTelemetryListener> listeners = new ArrayList<>();
        listeners.add(publisher);
        observers.forEach(listeners::add);
        // Issue 15 item 4: a throttled device shows as one aggregated event per minute, never one row per message.
        writer = new GroupCommitWriter(
                store,
                config,
                meters,
                List.copyOf(listeners),
                (device, bytes) -> rejections.rejected(
                        device, "telemetry.throttled", "ingest", "device exceeds its share of the ingest queue", (int)
                                Math.min(Integer.MAX_VALUE, bytes)));
        return writer;
    }

    @Produces
    @ApplicationScoped
    TelemetryPayloadParser payloadParser(ObjectMapper json, IngestConfig config) {
        return new TelemetryPayloadParser(json, Clock.systemUTC(), config.earliestTimestamp(), config.maxFutureSkew());
    }

    void onStop(@Observes @Priority(LifecyclePhase.Order.INGEST_STOP) ShutdownEvent event) {
        if (writer != null) {
            writer.close();
        }
    }
}
