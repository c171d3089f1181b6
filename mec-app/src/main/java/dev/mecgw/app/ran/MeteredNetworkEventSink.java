package dev.mecgw.app.ran;

import dev.mecgw.ran.event.NetworkEvent;
import dev.mecgw.ran.event.NetworkEventSink;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * Counts network events by kind in {@code mecgw.ran.events} (e.g. {@code kind=ran.qos.refused}) before
 * storing them, so that refusals and failures show on the metrics endpoint as well as in the event table.
 * The kinds are a fixed set written by the integration, so the tag stays small.
 */
public class MeteredNetworkEventSink implements NetworkEventSink {

    private final NetworkEventSink delegate;
    private final MeterRegistry meters;

    public MeteredNetworkEventSink(NetworkEventSink delegate, MeterRegistry meters) {
        this.delegate = delegate;
        this.meters = meters;
    }

    @Override
    public void record(NetworkEvent event) {
        meters.counter("mecgw.ran.events", "kind", event.kind(), "severity", event.severity())
                .increment();
        delegate.record(event);
    }
}
