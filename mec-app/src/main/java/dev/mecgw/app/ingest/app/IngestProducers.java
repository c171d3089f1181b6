package dev.mecgw.app.ingest.app;

import dev.mecgw.app.ingest.BatchingTelemetryIngest;
import dev.mecgw.app.ingest.CommittedTelemetryListener;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Instance;
import dev.mecgw.app.ingest.IngestConfig;
import dev.mecgw.app.ingest.TelemetryIngest;
import dev.mecgw.app.ingest.TelemetryPayloadParser;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mecgw.app.telemetry.TelemetryStore;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Produces;

/**
 * Wires the ingest pipeline. On shutdown it drains the queue while the database is still up (the
 * embedded server stops in a later shutdown observer).
 */
@ApplicationScoped
public class IngestProducers {

    private volatile BatchingTelemetryIngest ingest;

    @Produces
    @ApplicationScoped
    TelemetryIngest telemetryIngest(TelemetryStore store, IngestConfig config, MeterRegistry meters,
            @Any Instance<CommittedTelemetryListener> listeners) {
        ingest = new BatchingTelemetryIngest(store, config, meters, listeners.stream().toList());
        return ingest;
    }

    @Produces
    @ApplicationScoped
    TelemetryPayloadParser payloadParser(ObjectMapper json) {
        return new TelemetryPayloadParser(json);
    }

    void onStop(@Observes ShutdownEvent event) {
        if (ingest != null) {
            ingest.close();
        }
    }
}
